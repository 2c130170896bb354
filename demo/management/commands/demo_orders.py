"""`manage.py demo_orders`: a few cash-on-delivery orders from the demo customer, so the two demo
producers (Chiềng Mai coffee, Mộc Châu tea) find orders to prepare and notices in their portal.
Not part of `load_demo` (the demo catalogue stays untouched by orders). Idempotent: the orders have
fixed numbers and a second run places none."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from oscar.core.loading import get_class, get_model

from demo.catalogue import ensure_country

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")
Free = get_class("shipping.methods", "Free")

# order number -> (SKU, quantity) lines
ORDERS = {
    "DEMO-100001": [("CF-002", 2), ("TE-001", 1)],
    "DEMO-100002": [("CF-003", 1)],
    "DEMO-100003": [("TE-002", 2), ("TE-003", 1)],
}


class Command(BaseCommand):
    help = "Place three demo orders for the two demo producers (idempotent)."

    def handle(self, *args, **options):
        customer = get_user_model().objects.filter(email="khach@ocop.demo").first()
        placed = 0
        for number, lines in ORDERS.items():
            if Order.objects.filter(number=number).exists():
                continue
            with transaction.atomic():
                self.place(number, lines, customer)
            placed += 1
        self.stdout.write(f"demo orders placed: {placed} (of {len(ORDERS)})")

    def place(self, number, lines, customer):
        basket = Basket.objects.create(owner=customer)
        basket.strategy = Selector().strategy()
        for sku, quantity in lines:
            basket.add_product(StockRecord.objects.get(partner_sku=sku).product, quantity)
        method = Free()
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        address = ShippingAddress.objects.create(first_name="Thu Hà", last_name="Nguyễn", line1="12 Tô Hiệu",
                                                 line4="Sơn La", country=ensure_country(), phone_number="+84912345678")
        OrderCreator().place_order(basket=basket, total=total, shipping_method=method, shipping_charge=charge,
                                   shipping_address=address, user=customer, order_number=number)
        basket.submit()

"""Pick-up orders made the way a shopper makes them: the real checkout pages (guest), or Oscar's
OrderCreator with the showroom's pick-up method (for the PostgreSQL tests, which cannot lean on
the demo: they commit for real and flush afterwards)."""
from __future__ import annotations

from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from shop.address.vn_forms import vietnam
from shop.payment.services import record_payment_choice
from shop.shipping.methods import ShowroomPickup
from tests.checkout.payment_methods.checkout import place_order

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")

GUEST_EMAIL = "khach.nhanhang@example.vn"
CONTACT = {"full_name": "Lò Thị Mai", "phone_number": "0987 654 321"}


def after_commit():
    """Run what the block queues for after its commit (the shopper's e-mails) when it ends: a
    test's transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def shelf_of(showroom):
    """The showroom's shelf records with free units, most first."""
    records = StockRecord.objects.filter(partner_id=showroom.partner_id).select_related("product")
    return sorted((r for r in records if r.net_stock_level > 0), key=lambda r: -r.net_stock_level)


def producer_record(product):
    return StockRecord.objects.get(product=product, partner_id=product.producer_id)


def not_on_shelf(showroom):
    """A tracked product with a producer and free stock that the showroom does not hold."""
    held = set(StockRecord.objects.filter(partner_id=showroom.partner_id).values_list("product_id", flat=True))
    for record in (StockRecord.objects.filter(product__producer__isnull=False, num_in_stock__gt=5,
                                              product__product_class__track_stock=True,
                                              product__product_class__requires_shipping=True)
                   .select_related("product").order_by("product__upc")):
        if record.partner_id == record.product.producer_id and record.product_id not in held:
            return record.product
    raise AssertionError("the demo has no product off this shelf")


def guest_to_pickup(client, showroom, lines, contact=CONTACT):
    """A guest fills the basket and chooses pick-up at `showroom` on the first checkout step."""
    for product, quantity in lines:
        assert client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}).status_code == 302
    response = client.post(reverse("checkout:index"), {"username": GUEST_EMAIL, "options": "anonymous"})
    assert response.status_code == 302
    return client.post(reverse("checkout:pickup-contact"), {**contact, "showroom": showroom.pk})


def checkout_pickup(client, showroom, lines, method="counter"):
    response = guest_to_pickup(client, showroom, lines)
    assert response.status_code == 302 and response["Location"] == reverse("checkout:payment-method"), response
    response = client.post(reverse("checkout:payment-method"), {"method": method})
    assert response.status_code == 302, response.content.decode()[:1500]
    with after_commit():
        response = place_order(client)
    assert response.status_code == 302, response.content.decode()[:1500]
    return Order.objects.filter(guest_email=GUEST_EMAIL).order_by("-pk").first()


def place_pickup(showroom, lines, *, phone="+84987654321", status=None, method_code="counter"):
    """Place a pick-up order for (product, quantity) lines with Oscar's OrderCreator."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product, quantity in lines:
        basket.add_product(product, quantity)
    method = ShowroomPickup(showroom)
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    address = ShippingAddress.objects.create(first_name="Lò Thị", last_name="Mai", line1=showroom.street,
                                             line4=showroom.commune, country=vietnam(), phone_number=phone)
    kwargs = {"status": status} if status else {}
    with after_commit():  # as the checkout does: order and payment choice in one transaction
        order = OrderCreator().place_order(basket=basket, total=total, shipping_method=method,
                                           shipping_charge=charge, shipping_address=address,
                                           guest_email=GUEST_EMAIL, **kwargs)
        basket.submit()
        record_payment_choice(order=order, method=method_code)
    return Order.objects.get(pk=order.pk)


def net(record) -> tuple[int, int]:
    record.refresh_from_db()
    return record.num_in_stock, record.num_allocated or 0


ZERO = Decimal(0)

"""Orders as checkout places them, delivered to a Sơn La ward: cash on delivery or paid by transfer."""
from decimal import Decimal

from oscar.core.loading import get_class, get_model

from core.places import ward_code
from shop.order import statuses
from shop.payment import methods
from shop.payment.services import record_payment_choice
from tests.catalog_ext.storefront.helpers import product

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")
Standard = get_class("shipping.methods", "Standard")


class FixedStandard(Standard):
    """Standard delivery at a fixed 35.000 ₫ (the price is not what these tests are about)."""

    def calculate(self, basket):
        from oscar.core import prices

        return prices.Price(currency=basket.currency, excl_tax=Decimal(35000), tax=Decimal(0))


def delivery_order(*, lines=(("CF-001", 1), ("DF-005", 1)), method=methods.COD):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for sku, quantity in lines:
        basket.add_product(product(sku), quantity)
    shipping = FixedStandard()
    charge = shipping.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    address = ShippingAddress.objects.create(
        first_name="Thu Hà", last_name="Nguyễn", line1="12 Tô Hiệu", line4="Sơn La", state="Sơn La",
        province_code=14, ward_code=ward_code("Phường Tô Hiệu"),
        country=Country.objects.get(iso_3166_1_a2="VN"), phone_number="+84912345678")
    order = OrderCreator().place_order(basket=basket, total=total, shipping_method=shipping, shipping_charge=charge,
                                       shipping_address=address, status=methods.INITIAL_STATUS[method],
                                       guest_email="khach.giao@example.vn")
    record_payment_choice(order=order, method=method)
    if method != methods.COD:
        from shop.order import services

        services.record_payment(order=order, amount=order.total_incl_tax, reference="CK-1", source_type="VietQR")
        order.refresh_from_db()
    assert order.status == statuses.PROCESSING
    return order


def partners(order):
    return sorted({line.partner for line in order.lines.all()}, key=lambda p: p.pk)

"""Orders awaiting a bank transfer, and the shop configured for SePay's webhook."""
from decimal import Decimal

import pytest
from oscar.core.loading import get_class, get_model

from shop.order import statuses
from shop.payment import methods
from shop.payment.services import record_payment_choice
from tests.catalog_ext.storefront.helpers import product

from . import fake_sepay

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")
FixedPrice = get_class("shipping.methods", "FixedPrice")


@pytest.fixture(autouse=True)
def sepay(settings):
    settings.SEPAY_WEBHOOK_AUTH = "apikey"
    settings.SEPAY_API_KEY = fake_sepay.API_KEY
    settings.SEPAY_WEBHOOK_SECRET = fake_sepay.HMAC_SECRET
    settings.VIETQR_ACCOUNT_NUMBER = fake_sepay.ACCOUNT
    return settings


def transfer_order(*, lines=(("CF-001", 1), ("DF-003", 2)), shipping=Decimal(35000), status=statuses.AWAITING_TRANSFER,
                   method=methods.VIETQR, email="khach.ck@example.vn"):
    """An order placed as checkout places a VietQR order: "Awaiting transfer", stock allocated."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for sku, quantity in lines:
        basket.add_product(product(sku), quantity)
    method_ = FixedPrice(charge_excl_tax=shipping, charge_incl_tax=shipping)
    charge = method_.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    address = ShippingAddress.objects.create(
        first_name="Thu Hà", last_name="Nguyễn", line1="12 Tô Hiệu", line4="Sơn La",
        country=Country.objects.get(iso_3166_1_a2="VN"), phone_number="+84912345678")
    order = OrderCreator().place_order(basket=basket, total=total, shipping_method=method_, shipping_charge=charge,
                                       shipping_address=address, status=status, guest_email=email)
    record_payment_choice(order=order, method=method)
    return order

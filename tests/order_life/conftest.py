"""Orders of the two demo producers (Chiềng Mai coffee = A, Mộc Châu tea = B), placed as the
checkout places them, paid the way a test asks, and handed to the carrier by their producers."""
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_class, get_model

from demo.catalogue import ensure_country
from producer_portal import fulfilment
from shop.order import services
from shop.payment import methods
from shop.payment.services import record_payment_choice
from tests.checkout.stock.factories import basket_of

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
ShippingAddress = get_model("order", "ShippingAddress")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
FixedPrice = get_class("shipping.methods", "FixedPrice")

A_EMAIL, B_EMAIL = "htx.chiengmai@ocop.demo", "mocchau.tea@ocop.demo"
A_SKU, B_SKU = "CF-002", "TE-002"  # a coffee of producer A, a tea of producer B
SHIPPING = Decimal(30000)
User = get_user_model()


def record(sku):
    return StockRecord.objects.select_related("product", "partner").get(partner_sku=sku)


def place_order(*lines, method=methods.COD, user=None, shipping=SHIPPING):
    """An order of (sku, quantity) lines with a shipping charge, its payment method recorded."""
    basket = basket_of(*[(record(sku).product, quantity) for sku, quantity in lines], owner=user)
    ship = FixedPrice(charge_excl_tax=shipping, charge_incl_tax=shipping)
    charge = ship.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    address = ShippingAddress.objects.create(first_name="Thu Hà", last_name="Nguyễn", line1="12 Tô Hiệu",
                                             line4="Sơn La", country=ensure_country(), phone_number="+84912345678")
    order = OrderCreator().place_order(basket=basket, total=total, shipping_method=ship, shipping_charge=charge,
                                       shipping_address=address, user=user,
                                       guest_email="" if user else "khach@example.vn",
                                       status=methods.INITIAL_STATUS[method])
    record_payment_choice(order=order, method=method)
    return order


def pay(order, source_type="VietQR", reference="FT-TEST-1"):
    services.record_payment(order=order, amount=order.total_incl_tax, reference=reference, source_type=source_type)
    order.refresh_from_db()
    return order


def ship_all(order):
    """Each producer with lines in the order hands them to a carrier."""
    for partner in Partner.objects.filter(pk__in=order.lines.values("partner_id")).order_by("pk"):
        fulfilment.mark_shipped(order=order, partner=partner, carrier="Viettel Post", tracking_number=f"VTP{partner.pk}")
    order.refresh_from_db()
    return order


def line_of(order, sku):
    return order.lines.get(partner_sku=sku)


@pytest.fixture
def producer_a(db):
    return Partner.objects.get(code="chieng-mai-coffee")


@pytest.fixture
def producer_b(db):
    return Partner.objects.get(code="moc-chau-tea")


@pytest.fixture
def user_a(db):
    return User.objects.get(email=A_EMAIL)


@pytest.fixture
def office(db):
    """An OCOP office clerk (staff, the office group's permissions)."""
    from shop.staff_roles import office_group

    user = User.objects.create_user(username="olife-office", email="olife.office@ocop.test", password="x", is_staff=True)
    user.groups.add(office_group())
    return user


@pytest.fixture
def shopper(db):
    return User.objects.create_user(username="olife-shopper", email="olife.shopper@example.vn", password="x")


@pytest.fixture
def client_a(client, user_a):
    client.force_login(user_a)
    return client
from tests.checkout.stripe.conftest import fake_stripe  # noqa: F401,E402  (the card refund tests)

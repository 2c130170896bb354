"""Producers with products sold online and at a counter, made from scratch (the PostgreSQL tests
commit for real and flush afterwards, so they cannot lean on the demo)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from pos import cart as carts
from pos import sale as sales
from settlement import services
from tests.checkout.stock.factories import basket_of, place
from tests.pos.factories import make_producer, make_product, make_showroom, make_staff, open_shift, stock_shelf

Order = get_model("order", "Order")


def sell_at_counter(world, product, quantity=1, cash=None):
    cart = carts.cart_for(world.cashier, world.showroom)
    carts.add(cart, product, quantity)
    cart.refresh_from_db()
    sale, _new = sales.complete_sale(cart_id=cart.pk, basket_id=cart.basket_id, version=cart.version,
                                     shift=world.shift,
                                     tender=sales.Tender(cash_tendered=Decimal(cash or 10_000_000)))
    return sale


def deliver_online(*items, at=None):
    """Place an online order of (product, quantity) and record its delivery as the lifecycle does."""
    order = place(basket_of(*items))
    Order.objects.filter(pk=order.pk).update(status="Delivered")
    order.refresh_from_db()
    services.record_delivery(list(order.lines.select_related("product", "order")), at=at or timezone.now())
    return order


class World:
    def __init__(self):
        self.producer = make_producer(name="HTX Chè Tà Xùa")
        self.other = make_producer(name="HTX Mật ong")
        self.tea = make_product(self.producer, title="Chè Shan tuyết 100g", price=Decimal(150000))
        self.honey = make_product(self.other, title="Mật ong bạc hà", price=Decimal(185000))
        self.showroom = make_showroom()
        stock_shelf(self.showroom, self.tea, 20)
        stock_shelf(self.showroom, self.honey, 20)
        self.cashier = make_staff(self.showroom)
        self.shift = open_shift(self.cashier, self.showroom, Decimal(2_000_000))


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level messages are matched in English here; pages keep Vietnamese (each request
    sets its own language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return World()


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from showrooms.models import Showroom, ShowroomStaff
from tests.stock.guard import stock_ledger_balanced, stock_written_around_the_ledger  # noqa: F401

from .factories import make_producer, make_product, make_showroom, make_staff, open_shift, stock_shelf

StockRecord = get_model("partner", "StockRecord")


class Counter:
    """A showroom with two products on its shelf (10 and 3 units), a producer product not on it,
    a cashier with an open shift and a logged-in test client."""

    def __init__(self, client):
        self.showroom = make_showroom()
        self.producer = make_producer()
        self.tea = make_product(self.producer, title="Chè Shan tuyết Tà Xùa 100g", price=Decimal(150000))
        self.honey = make_product(self.producer, title="Mật ong hoa bạc hà Mộc Châu", price=Decimal(185000))
        self.coffee = make_product(self.producer, title="Cà phê Arabica Chiềng Mai")  # not on this shelf
        self.tea_shelf = stock_shelf(self.showroom, self.tea, 10)
        self.honey_shelf = stock_shelf(self.showroom, self.honey, 3)
        self.cashier = make_staff(self.showroom)
        self.shift = open_shift(self.cashier, self.showroom, Decimal(500000))
        self.client = client
        client.force_login(self.cashier)

    def api(self, name, data=None, **kwargs):
        from django.urls import reverse

        url = reverse(f"pos:api-{name}", kwargs=kwargs or None)
        if data is None:
            return self.client.get(url)
        return self.client.post(url, data, content_type="application/json")

    def scan(self, code, quantity=1):
        return self.api("scan", {"code": code, "quantity": quantity})

    def cart(self):
        return self.api("cart").json()["cart"]

    def complete(self, **tender):
        cart = self.cart()
        return self.api("complete", {"basket": cart["basket"], "version": cart["version"], **tender})


@pytest.fixture
def counter(db, client):
    return Counter(client)


@pytest.fixture
def moc_chau(db):
    return Showroom.objects.get(slug="demo-moc-chau")


@pytest.fixture
def demo_cashier(moc_chau):
    return ShowroomStaff.objects.get(showroom=moc_chau, user__email="thungan.moc-chau@ocop.demo").user

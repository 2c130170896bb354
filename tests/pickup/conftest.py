from decimal import Decimal

import pytest

from tests.pos.factories import make_producer, make_product, make_showroom, make_staff, open_shift, stock_shelf
from tests.stock.guard import stock_ledger_balanced, stock_written_around_the_ledger  # noqa: F401  (audit after each test)


class Desk:
    """A showroom with honey on its shelf (5 jars) and tea that only the producer holds, a cashier
    with an open shift (float 500.000 ₫), and a second showroom with its own cashier."""

    def __init__(self, client):
        self.showroom = make_showroom()
        self.producer = make_producer()
        self.honey = make_product(self.producer, title="Mật ong hoa bạc hà", price=Decimal(185000))
        self.tea = make_product(self.producer, title="Chè Shan tuyết", price=Decimal(150000))
        self.honey_shelf = stock_shelf(self.showroom, self.honey, 5)
        self.cashier = make_staff(self.showroom)
        self.shift = open_shift(self.cashier, self.showroom, Decimal(500000))
        self.other = make_showroom()
        self.other_cashier = make_staff(self.other)
        self.client = client
        client.force_login(self.cashier)


@pytest.fixture
def desk(db, client):
    return Desk(client)


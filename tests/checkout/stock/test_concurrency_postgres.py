"""Twenty shoppers, each on their own database connection, buy the last five units at the same
moment (the idea of Oscar's tests/integration/order/test_stockrecord_locking.py): exactly five
orders, never a negative stock, allocated = sold. With two contested products in the basket, added
in opposite orders, the pk-ordered locks mean no deadlock either."""

import pytest
from django.db.models import Sum
from oscar.core.loading import get_model

from shop.partner.stock import InsufficientStock
from tests.concurrency import at_once as run_at_once

from .factories import basket_of, make_product, place, stockrecord

OrderLine = get_model("order", "Line")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SHOPPERS = 20


def at_once(baskets):
    """Place each basket in its own thread and connection, all released together; returns
    (order numbers placed, InsufficientStock raised, anything else raised)."""
    return run_at_once([lambda basket=basket: place(basket).number for basket in baskets],
                       refused_as=InsufficientStock)


def sold(product) -> int:
    return OrderLine.objects.filter(product=product).aggregate(n=Sum("quantity"))["n"] or 0


def test_twenty_shoppers_buy_the_last_five_units_exactly_five_orders():
    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=12, allocated=7)  # 5 left
    baskets = [basket_of((tea, 1)) for _ in range(SHOPPERS)]

    placed, refused, errors = at_once(baskets)

    assert errors == []
    assert len(placed) == 5
    assert len(refused) == SHOPPERS - 5
    assert all(exc.shortages[0].available == 0 for exc in refused)
    record = stockrecord(tea)
    assert record.num_allocated == 12 == record.num_in_stock
    assert sold(tea) == 5


def test_a_basket_of_two_contested_products_in_either_order_never_deadlocks_nor_oversells():
    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=5)
    coffee = make_product(title="Cà phê Arabica Sơn La", stock=5)
    baskets = [basket_of((tea, 1), (coffee, 1)) if n % 2 else basket_of((coffee, 1), (tea, 1))
               for n in range(SHOPPERS)]

    placed, refused, errors = at_once(baskets)

    assert errors == []
    assert len(placed) == 5 and len(refused) == SHOPPERS - 5
    for product in (tea, coffee):
        record = stockrecord(product)
        assert record.num_allocated == 5 == sold(product)
        assert record.num_in_stock - record.num_allocated == 0

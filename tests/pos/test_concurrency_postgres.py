"""Ten counters of one showroom sell its last three jars at the same moment, each on its own
database connection: exactly three sales, the shelf at zero, nothing oversold. And two tabs
completing the same cart at the same moment: one sale (the other gets it back)."""
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from pos import cart as carts
from pos import sale as sales
from pos.errors import PosError
from pos.models import PosSale
from tests.concurrency import at_once as run_at_once

from .factories import make_producer, make_product, make_showroom, make_staff, open_shift, stock_shelf

StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
COUNTERS = 10


def at_once(calls):
    return run_at_once(calls, refused_as=PosError)


def test_ten_counters_sell_the_last_three_jars_exactly_three_sales():
    showroom = make_showroom()
    honey = make_product(make_producer(), title="Mật ong bạc hà", price=Decimal(185000))
    shelf = stock_shelf(showroom, honey, 3)
    calls = []
    for _ in range(COUNTERS):
        cashier = make_staff(showroom)
        shift = open_shift(cashier, showroom)
        cart = carts.cart_for(cashier, showroom)
        carts.add(cart, honey, 1)
        cart.refresh_from_db()
        calls.append(lambda cart=cart, shift=shift: sales.complete_sale(
            cart_id=cart.pk, basket_id=cart.basket_id, version=cart.version, shift=shift,
            tender=sales.Tender(cash_tendered=Decimal(200000))))

    done, refused, errors = at_once(calls)

    assert errors == []
    assert len(done) == 3 and len(refused) == COUNTERS - 3
    shelf = StockRecord.objects.get(pk=shelf.pk)
    assert (shelf.num_in_stock, shelf.num_allocated) == (0, 0)
    assert PosSale.objects.filter(showroom=showroom).count() == 3


def test_two_tabs_completing_the_same_cart_at_once_sell_it_once():
    showroom = make_showroom()
    tea = make_product(make_producer())
    shelf = stock_shelf(showroom, tea, 10)
    cashier = make_staff(showroom)
    shift = open_shift(cashier, showroom)
    cart = carts.cart_for(cashier, showroom)
    carts.add(cart, tea, 2)
    cart.refresh_from_db()

    def complete():
        return sales.complete_sale(cart_id=cart.pk, basket_id=cart.basket_id, version=cart.version, shift=shift,
                                   tender=sales.Tender(cash_tendered=Decimal(300000)))

    done, refused, errors = at_once([complete, complete])

    assert errors == [] and refused == []
    assert sorted(created for _sale, created in done) == [False, True]
    assert done[0][0].pk == done[1][0].pk
    assert StockRecord.objects.get(pk=shelf.pk).num_in_stock == 8

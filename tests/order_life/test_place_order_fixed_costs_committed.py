"""An order's cache round trips, as the orders bench places it (issue 21): each cache version the
order moves is bumped once when its change is committed already (outside a transaction) and twice
inside one (at once and after commit); a version nobody has read is not started by a bump. Before:
7 calls. Real commits (transaction=True), so in a file of their own: the database is flushed after
each, and pytest-django runs such files after the tests that read the demo.

Both tests fail on the code before these changes."""
import pytest

import catalog_ext.cache
import listing.visitor_versions
from catalog_ext.cache import stock_key
from listing.visitor_versions import basket as basket_version
from listing.visitor_versions import key as visitor_key
from listing.visitor_versions import read
from tests.checkout.stock.factories import basket_of, make_product, place

pytestmark = pytest.mark.django_db(transaction=True)  # the bench's basket is made outside any transaction


class _Counted:
    """The cache, with every incr and add it is asked for written down as (method, key)."""

    def __init__(self, real, calls):
        self._real, self._calls = real, calls

    def __getattr__(self, name):
        attribute = getattr(self._real, name)
        if name not in ("incr", "add"):
            return attribute

        def counted(key, *args, **kwargs):
            self._calls.append((name, key))
            return attribute(key, *args, **kwargs)
        return counted


@pytest.fixture
def cache_calls(monkeypatch):
    calls = []
    for module in (catalog_ext.cache, listing.visitor_versions):
        monkeypatch.setattr(module, "cache", _Counted(module.cache, calls))
    return calls


def test_a_bench_order_bumps_each_version_once_when_committed_and_twice_in_a_transaction(cache_calls):
    coffee = make_product(title="Cà phê Sơn La", stock=10)
    place(basket_of((coffee, 1)))  # the site, content types and the like read once

    cache_calls.clear()
    basket = basket_of((coffee, 1))
    place(basket)

    mine = visitor_key(basket_version(basket.pk))
    assert cache_calls == [
        ("incr", mine),  # the basket made: nobody read its version, nothing to move
        ("incr", mine),  # its line added
        ("incr", stock_key(coffee.pk)),  # the order's stock movement, at once
        ("incr", stock_key(coffee.pk)),  # and after its commit
    ]


def test_a_version_read_before_a_change_outside_a_transaction_moves_on(cache_calls):
    coffee = make_product(title="Chè Shan tuyết", stock=10)
    basket = basket_of()
    before = read([basket_version(basket.pk)])[basket_version(basket.pk)]  # a header drawn for it
    cache_calls.clear()

    basket.add_product(coffee, 1)

    assert read([basket_version(basket.pk)])[basket_version(basket.pk)] == before + 1
    assert cache_calls.count(("incr", visitor_key(basket_version(basket.pk)))) == 1

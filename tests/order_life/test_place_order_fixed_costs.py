"""What an order costs besides its SQL statements (issue 21: 100 orders a second on 2 cores), as the
orders bench places it: a basket made and its line added outside a transaction, then place_order.

- Cache round trips: each cache version the order moves is bumped once when its change is
  committed already (outside a transaction) and twice inside one (at once and after commit); a
  version nobody has read is not started by a bump (its first reader starts it from the clock).
  Before: 7 calls (a new basket's version bumped, started and bumped again; its line's bump twice;
  the product's stock version bumped, started, and bumped after commit).
- The stock lock's SQL is compiled once per connection (core/prepared.py); before, on every order.

Both tests fail on the code before these changes."""
import pytest
from django.db.models.sql.compiler import SQLCompiler
from oscar.core.loading import get_model

import catalog_ext.cache
import listing.visitor_versions
from catalog_ext.cache import stock_key
from listing.visitor_versions import basket as basket_version
from listing.visitor_versions import key as visitor_key
from listing.visitor_versions import read
from tests.checkout.stock.factories import basket_of, make_product, place

StockRecord = get_model("partner", "StockRecord")


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


@pytest.mark.django_db(transaction=True)  # the bench's basket is made outside any transaction
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


@pytest.mark.django_db(transaction=True)
def test_a_version_read_before_a_change_outside_a_transaction_moves_on(cache_calls):
    coffee = make_product(title="Chè Shan tuyết", stock=10)
    basket = basket_of()
    before = read([basket_version(basket.pk)])[basket_version(basket.pk)]  # a header drawn for it
    cache_calls.clear()

    basket.add_product(coffee, 1)

    assert read([basket_version(basket.pk)])[basket_version(basket.pk)] == before + 1
    assert cache_calls.count(("incr", visitor_key(basket_version(basket.pk)))) == 1


@pytest.mark.django_db
def test_the_stock_lock_is_compiled_once_per_connection(monkeypatch):
    coffee = make_product(title="Mật ong Mộc Châu", stock=10)
    place(basket_of((coffee, 1)))
    basket = basket_of((coffee, 2))  # reads the product's stock records (compiled: not the lock)
    compiled = []
    as_sql = SQLCompiler.as_sql

    def recording(self, *args, **kwargs):
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", recording)
    order = place(basket)

    assert StockRecord not in compiled  # the lock's SELECT (the UPDATE is another compiler's)
    line = order.lines.get()
    assert line.partner_name == "HTX Thử" and line.num_allocated == 2  # what the lock read, fresh
    assert StockRecord.objects.get(product=coffee).num_allocated == 3

"""What an order costs besides its SQL statements (issue 21: 100 orders a second on 2 cores), as the
orders bench places it: a basket made and its line added outside a transaction, then place_order.

- Cache round trips: each cache version the order moves is bumped once when its change is
  committed already (outside a transaction) and twice inside one (at once and after commit); a
  version nobody has read is not started by a bump (its first reader starts it from the clock).
  Before: 7 calls (a new basket's version bumped, started and bumped again; its line's bump twice;
  the product's stock version bumped, started, and bumped after commit).
- The stock lock's SQL is compiled once per connection (core/prepared.py); before, on every order.

The cache round trips are tested with real commits in test_place_order_fixed_costs_committed.py (a
file of transactional tests only: a test that commits flushes the database afterwards, so it must
not share a file, and thus a pytest-xdist work unit, with tests that read the demo).

Both fail on the code before these changes."""
import pytest
from django.db.models.sql.compiler import SQLCompiler
from oscar.core.loading import get_model

from tests.checkout.stock.factories import basket_of, make_product, place

StockRecord = get_model("partner", "StockRecord")


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

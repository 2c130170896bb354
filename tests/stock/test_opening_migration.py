"""The data migration that starts the ledger on an existing shop (partner 0011): every record gets
its opening balance, and lines shipped or delivered before the ledger give up the allocation they
were still holding, so stock_audit passes and the shelf count is true again."""
import importlib

import pytest
from django.apps import apps
from oscar.core.loading import get_model

from shop.order import statuses
from tests.checkout.stock.factories import basket_of, make_product, place, stockrecord

Line = get_model("order", "Line")
StockMovement = get_model("partner", "StockMovement")
StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db

migration = importlib.import_module("shop.partner.migrations.0011_stock_ledger_opening")


def test_the_ledger_starts_with_opening_balances_and_shipped_lines_consumed():
    # Before the ledger: an order shipped but still holding 2 units, one delivered holding 1, one
    # still being prepared holding 3; the counter's sales had consumed theirs already.
    tea = make_product(title="Chè Shan tuyết", stock=20)
    shipped, delivered, waiting = (place(basket_of((tea, n))) for n in (2, 1, 3))
    Line.objects.filter(order=shipped).update(status=statuses.LINE_SHIPPED)
    delivered.set_status(statuses.DELIVERED)
    StockMovement.objects.all().delete()  # the shop as it was before the ledger existed
    assert (stockrecord(tea).num_in_stock, stockrecord(tea).num_allocated) == (20, 6)

    migration.start_ledger(apps, None)

    record = stockrecord(tea)
    assert (record.num_in_stock, record.num_allocated) == (17, 3)  # only the waiting order still holds
    assert list(StockMovement.objects.filter(stockrecord=record).order_by("pk")
                .values_list("reason", "delta_in_stock", "delta_allocated", "order_line__order")) == [
        ("opening", 20, 6, None), ("handed_over", -2, -2, shipped.pk), ("handed_over", -1, -1, delivered.pk)]
    assert [line.num_allocated for line in (o.lines.get() for o in (shipped, delivered, waiting))] == [0, 0, 3]
    from shop.partner import stock

    assert stock.audit() == []

"""Allocating stock to an order: lock, re-check, allocate, all in one place.

Oscar checks availability when a product goes into the basket and again before payment, but
never inside the transaction that places the order, so two shoppers can both buy the last unit.
Here (after Saleor's warehouse/management.py) every stock record a basket touches is locked in
primary-key order (concurrent baskets then queue instead of deadlocking), availability is read
again under the lock, and every short line is reported at once. The CHECK constraint on
StockRecord (shop/partner/models.py) is the last line if anything else ever writes the rows.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


@dataclass(frozen=True)
class Shortage:
    title: str
    asked: int
    available: int


class InsufficientStock(UnableToPlaceOrder):
    """Raised before any order row is written. Oscar's checkout catches UnableToPlaceOrder, thaws the
    basket and shows str(exc) on the preview page, so the message is the shopper's."""

    def __init__(self, shortages: list[Shortage]):
        self.shortages = shortages
        super().__init__(self.message())

    def message(self) -> str:
        parts = []
        for s in self.shortages:
            if s.available <= 0:
                parts.append(gettext("«%(title)s» is out of stock") % {"title": s.title})
            else:
                parts.append(gettext("Only %(available)d of «%(title)s» left in stock (you asked for %(asked)d)")
                             % {"available": s.available, "title": s.title, "asked": s.asked})
        return "; ".join(parts) + "; " + gettext("your basket has been kept as it was.")


def lock_stockrecords(ids: Iterable[int]) -> dict[int, StockRecord]:
    """Lock the rows, always in pk order (the one lock order every caller shares). Call inside a
    transaction. SQLite has no row locks; there the write transaction itself serialises.

    FOR NO KEY UPDATE, not FOR UPDATE: writers of stock still wait for each other, but the
    foreign-key check of a basket or order line pointing at the row (KEY SHARE, at COMMIT) does not
    wait, which deadlocked an order being placed with a shopper's add-to-basket (both also touch the
    product's analytics row; tests/checkout/stock/test_stock_locks_postgres.py)."""
    ids = sorted(set(ids))  # a list: the ids are used more than once
    records = (StockRecord.objects.select_for_update(of=("self",), no_key=True)  # only the stock rows
               .select_related("product__product_class", "product__parent__product_class")  # allocate() asks
               .filter(pk__in=ids).order_by("pk"))
    return {record.pk: record for record in records}


def _tracked_quantities(lines) -> tuple[dict[int, int], dict[int, str]]:
    """Units asked per stock record (two basket lines may share one), for products that track stock."""
    asked: dict[int, int] = defaultdict(int)
    titles: dict[int, str] = {}
    for line in lines:
        if not line.stockrecord_id or not line.product.get_product_class().track_stock:
            continue  # untracked products are not limited; a line without a record fails in OrderCreator
        asked[line.stockrecord_id] += line.quantity
        titles[line.stockrecord_id] = line.product.get_title()
    return dict(asked), titles


@transaction.atomic
def allocate_lines(lines) -> None:
    """Allocate every basket line's units, or none: raises InsufficientStock listing every short line."""
    lines = list(lines)
    asked, titles = _tracked_quantities(lines)
    if not asked:
        return
    records = lock_stockrecords(asked)
    shortages = []
    for pk in sorted(asked):
        record = records.get(pk)
        available = max(record.net_stock_level, 0) if record else 0
        if asked[pk] > available:
            shortages.append(Shortage(title=titles[pk], asked=asked[pk], available=available))
    if shortages:
        raise InsufficientStock(shortages)
    for pk in sorted(asked):
        if not records[pk].allocate(asked[pk]):  # cannot fail under the lock; the guard stays honest
            raise InsufficientStock([Shortage(titles[pk], asked[pk], max(records[pk].net_stock_level, 0))])

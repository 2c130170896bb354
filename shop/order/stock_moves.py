"""The stock movements of an order's life, under the names and signatures of the stock ledger
(shop/partner/stock.py: consume_lines, release_lines, receive_back, write_off). Lifecycle code
calls only these four; once the ledger's own functions are on main this module imports them
instead, and every movement gets its ledger row.

Meanwhile they change the stock record as Oscar does, with F() updates on rows locked in primary-key
order (shop.partner.stock.lock_stockrecords, the one lock order every writer of stock shares).
`actor`, `reason`, `note` and `source` are what the ledger records with each movement; here they are
taken and not kept (there is no movement table before the ledger).
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.partner.stock import lock_stockrecords

StockRecord = get_model("partner", "StockRecord")


class StockError(ValueError):
    """A movement the stock record cannot take (more written off than it holds free); str() is the
    user's message. The ledger's shop.partner.stock.StockError, by the same name."""


def _tracked(lines):
    return sorted((line for line in lines if line.stockrecord_id and line.stockrecord.can_track_allocations),
                  key=lambda line: (line.stockrecord_id, line.pk))


@transaction.atomic
def consume_lines(lines, *, actor=None, reason=None, quantities=None, source=None, note: str = "") -> int:
    """The lines' units have left the producer: their allocation is taken out of stock. A line whose
    allocation is already consumed (or cancelled) is skipped, so calling twice moves nothing twice.
    Returns how many units were consumed."""
    lines = _tracked(lines)
    lock_stockrecords(line.stockrecord_id for line in lines)
    units = 0
    for line in lines:
        line.refresh_from_db(fields=["num_allocated", "allocation_cancelled"])
        if line.num_allocated and not line.allocation_cancelled:
            units += line.num_allocated
            line.consume_allocation(line.num_allocated)
    return units


@transaction.atomic
def release_lines(lines, *, actor=None, reason=None, source=None, note: str = "") -> int:
    """The lines will not be handed over: their allocation goes back to free stock. Returns units."""
    lines = _tracked(lines)
    lock_stockrecords(line.stockrecord_id for line in lines)
    units = 0
    for line in lines:
        line.refresh_from_db(fields=["num_allocated", "allocation_cancelled"])
        if line.num_allocated and not line.allocation_cancelled:
            units += line.num_allocated
            line.cancel_allocation(line.num_allocated)
    return units


@transaction.atomic
def receive_back(*, line, quantity: int, actor=None, note: str = "", reason=None, damaged: bool = False,
                 source=None) -> None:
    """`quantity` units of `line`, handed over earlier, are back on the producer's shelf; damaged ones
    are written off at once (received back, then written off: the ledger keeps both movements)."""
    if quantity <= 0 or not line.stockrecord_id or damaged:
        return  # damaged: +quantity then -quantity, nothing to change on the record itself
    record = lock_stockrecords([line.stockrecord_id]).get(line.stockrecord_id)
    if record is None or record.num_in_stock is None:
        return  # an untracked record counts nothing
    record.pre_save_signal()
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=F("num_in_stock") + quantity)
    record.refresh_from_db(fields=["num_in_stock", "num_allocated"])
    record.post_save_signal()


@transaction.atomic
def write_off(*, stockrecord, quantity: int, actor=None, reason: str, line=None, source=None) -> None:
    """`quantity` units on the shelf are lost (damaged, expired): out of stock, never sold."""
    if quantity <= 0:
        return
    record = lock_stockrecords([stockrecord.pk]).get(stockrecord.pk)
    if record is None or record.num_in_stock is None:
        return
    free = record.num_in_stock - (record.num_allocated or 0)
    if quantity > free:
        raise StockError(_("Only %(free)d units of this stock are free to write off.") % {"free": free})
    record.pre_save_signal()
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=Coalesce(F("num_in_stock"), 0) - quantity)
    record.refresh_from_db(fields=["num_in_stock", "num_allocated"])
    record.post_save_signal()

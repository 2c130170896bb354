"""The one stock module: every change of a stock record's counts, each with its ledger row.

A stock record's `num_in_stock` and `num_allocated` change only here. Each change is an F() update of
the row, locked in primary-key order, and a `StockMovement` (shop/partner/models.py) written in the
same transaction: who, when, why, which order line or other cause, the delta of each count and the
counts after it. So a record's counts are the sums of its movements (`manage.py stock_audit` checks
that, `history()` answers "why is this 57?"), and anything else that writes the counts is a bug:
`StockRecord.save()` refuses a changed count (StockWriteOutsideLedger) and the audit finds a
`queryset.update()` that went around.

Checkout (after Saleor's warehouse/management.py): every stock record a basket touches is locked in
pk order (concurrent baskets queue instead of deadlocking), availability is read again under the
lock and every short line is reported at once, before any order row is written; the order lines
are then allocated one by one under those locks. The CHECK constraint on StockRecord is the last line.

Public functions (keyword-only after the first argument; all atomic; a `StockError` carries a
message for the user and changes nothing):

    lock_stockrecords(ids) -> {pk: StockRecord}
        lock rows FOR NO KEY UPDATE in pk order (call inside a transaction).
    lock_for_basket(basket_lines) -> {pk: StockRecord}
        lock and re-check what a basket asks; raises InsufficientStock listing every short line.
    allocate_line(line, *, actor=None, record=None) -> StockMovement | None
        hold an order line's units (reason ALLOCATED).
    allocate_lines(lines, *, records, actor=None) -> [StockMovement]
        the same for every line of a new order at once (OrderCreator): one UPDATE and one INSERT of
        movements whatever the number of lines, the same rows as allocate_line line by line.
    consume_lines(lines, *, actor, reason=HANDED_OVER, quantities=None, source=None, note="") -> int
        the goods left: shipped to a carrier, collected at a showroom, sold at the counter
        (reason COUNTER_SALE). Takes each line's remaining allocation (or `quantities[line.pk]` of it)
        out of allocated and in stock. Idempotent: an already consumed line does nothing. Returns units.
    release_lines(lines, *, actor, reason=RELEASED, source=None, note="") -> int
        give an order's held units back (cancelled, expired, refused before hand-over). Idempotent.
    reallocate_line(*, line, to_record, actor, note="") -> None
        move a line's held units to another record (e.g. a showroom's shelf for a pick-up order).
    receive_back(*, line, quantity, actor, note="", reason=RECEIVED_BACK, damaged=False, source=None)
        units of a handed-over line come back into the line's stock record (a refused parcel, a
        return; the counter uses reason COUNTER_RETURN). `damaged=True` writes them off at once
        (received back + written off). Never more than went out through the line (StockError);
        with `source`, a second call for the same source and line writes nothing (retry-safe).
    returnable(line) -> int
        units of the line handed over and not yet received back.
    write_off(*, stockrecord, quantity, actor, reason, line=None, source=None) -> StockMovement
        free units lost, broken or expired (reason text kept as the note).
    set_counted(*, stockrecord, counted, actor, reason, note="", source=None) -> StockMovement | None
        the count is now `counted` (STOCKTAKE, PORTAL_EDIT, OFFICE_EDIT, IMPORT); never below
        what orders hold. No change, no row.
    adjust(*, stockrecord, delta, actor, reason, note="", line=None, source=None)
        add (goods received) or take units; taking never more than the free units.
    transfer_units(*, from_record, to_record, quantity, actor, source=None, note="")
        producer's free units to a showroom's shelf (TRANSFER_OUT + TRANSFER_IN).
    record_created(record, *, actor=None) / record_created_bulk(records)
        the first movement of a new record (StockRecord.save() calls the first; bulk_create callers
        the second).
    history(stockrecord, *, limit=50) -> [StockMovement], newest first.
    audit() -> [Difference], every record whose counts differ from the sum of its movements.

`actor` is the user who caused it (None for the system: beat tasks, the demo loader); `source` any
saved model instance the movement stems from (a PosReturn, a Transfer, a return request, an import);
lines are Oscar order lines.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, router, transaction
from django.db.models import BooleanField, Case, F, IntegerField, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from core.prepared import Prepared

StockRecord = get_model("partner", "StockRecord")
StockMovement = get_model("partner", "StockMovement")
StockAlert = get_model("partner", "StockAlert")
Line = get_model("order", "Line")
Reason = StockMovement.Reason

# The goods left the shop through an order line.
OUT_REASONS = (Reason.HANDED_OVER, Reason.COUNTER_SALE)
# Units of an order line that came back into stock.
BACK_REASONS = (Reason.RECEIVED_BACK, Reason.COUNTER_RETURN)


class StockError(ValueError):
    """A stock change that cannot be made; str() is the user's message (nothing was written)."""


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


@dataclass(frozen=True)
class Difference:
    """A record whose counts are not what its movements add up to."""

    stockrecord_id: int
    sku: str
    num_in_stock: int
    ledger_in_stock: int
    num_allocated: int
    ledger_allocated: int

    def __str__(self):
        return (f"#{self.stockrecord_id} {self.sku}: in stock {self.num_in_stock} (ledger {self.ledger_in_stock}), "
                f"allocated {self.num_allocated} (ledger {self.ledger_allocated})")


# --- locks -------------------------------------------------------------------------------------

def lock_stockrecords(ids: Iterable[int], *, products: dict | None = None,
                      partner_related: Iterable[str] = ()) -> dict[int, StockRecord]:
    """Lock the rows, always in pk order (the one lock order every caller shares). Call inside a
    transaction. SQLite has no row locks; there the write transaction itself serialises.

    FOR NO KEY UPDATE, not FOR UPDATE: writers of stock still wait for each other, but the
    foreign-key check of a basket or order line pointing at the row (KEY SHARE, at COMMIT) does not
    wait, which deadlocked an order being placed with a shopper's add-to-basket (both also touch the
    product's analytics row; tests/checkout/stock/test_stock_locks_postgres.py).

    Callers that also lock order lines lock them first (orders → lines → stock records): checkout
    only inserts lines, so it never waits on a line lock while holding stock rows.

    Each record comes with its partner, its product and product class (whether it tracks stock)
    and whether a low-stock alert is open on it (`has_open_stock_alert`: the alert receiver,
    shop/partner/alerts.py, then needs no query after each change unless there is an alert to close
    or to open). `products`: {product id: product} the caller has read already (the basket's), put on
    the records instead of joining the product rows again. `partner_related`: the partner's relations
    the caller needs next (OrderCreator: what the producers' notifications read), joined here."""
    ids = sorted({pk for pk in ids if pk is not None})  # a list: the ids are used more than once
    if not ids:
        return {}
    related = ("partner", *(f"partner__{name}" for name in partner_related))
    if not products:
        related += ("product__product_class", "product__parent__product_class")
    # Compiled once per connection and shape (core/prepared.py): Django compiled this join on every order.
    records = _LOCK.run((related, len(ids)), ids, using=router.db_for_write(StockRecord))
    locked = {}
    for record in records:
        if products and record.product_id in products:
            record.product = products[record.product_id]
        locked[record.pk] = record
    return locked


def _lock_query(shape, *ids):
    related, _count = shape
    return (StockRecord.objects.select_for_update(of=("self",), no_key=True)  # only the stock rows
            .select_related(*related).annotate(has_open_stock_alert=_open_alert_sql())
            .filter(pk__in=ids).order_by("pk"))


_LOCK = Prepared(_lock_query, name="stock_lock")


def _open_alert_sql() -> RawSQL:
    """EXISTS (an open StockAlert of the row), as SQL: Django's Exists() compiles its subquery again
    on every lock, about 1 ms of CPU per order placed (bench/orders.py)."""
    quote = connection.ops.quote_name
    alert, record = StockAlert._meta, StockRecord._meta
    return RawSQL(f"EXISTS (SELECT 1 FROM {quote(alert.db_table)} a WHERE a.{quote('stockrecord_id')} = "
                  f"{quote(record.db_table)}.{quote(record.pk.column)} AND a.{quote('status')} = %s)",
                  (StockAlert.OPEN,), output_field=BooleanField())


def _lock_lines(lines) -> list:
    """The order lines, re-read under their row lock in pk order (their num_allocated is what counts)."""
    ids = sorted({line.pk for line in lines})
    return list(Line.objects.select_for_update(of=("self",), no_key=True).filter(pk__in=ids).order_by("pk"))


# --- the one writer ----------------------------------------------------------------------------

def _actor(user):
    return user if user is not None and getattr(user, "is_authenticated", False) and user.pk else None


def _source_fields(source) -> dict:
    if source is None:
        return {}
    return {"source_type": ContentType.objects.get_for_model(source, for_concrete_model=False),
            "source_id": source.pk}


@dataclass
class _Change:
    """One movement to write: a record's count deltas and why."""

    record: StockRecord
    d_in: int = 0
    d_alloc: int = 0
    reason: str = ""
    actor: object = None
    line: object = None
    source: object = None
    note: str = ""


def _write(record, *, d_in: int = 0, d_alloc: int = 0, reason, actor=None, line=None, source=None,
           note: str = "") -> StockMovement | None:
    """Change a record's counts by the deltas and write the movement that explains it (see _write_many)."""
    written = _write_many([_Change(record, d_in, d_alloc, reason, actor, line, source, note)])
    return written[0] if written else None


def _write_many(changes: list[_Change]) -> list[StockMovement]:
    """Change records' counts by the deltas and write one movement per change that explains it. Each
    record must be LOCKED by this transaction and hold its current counts (as lock_stockrecords
    returned it, and as earlier writes left it): the counts after each movement are then known
    without reading the row again, in the order the changes are given (two changes of one record
    get the running counts, as two calls one after the other would). One UPDATE for all records
    and one INSERT for all movements. The signals Oscar's own stock methods send (its stock alerts,
    our catalogue cache) follow, once per record."""
    changes = [c for c in changes if c.d_in or c.d_alloc]
    if not changes:
        return []
    records: dict[int, StockRecord] = {}
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for c in changes:
        records.setdefault(c.record.pk, c.record)
        totals[c.record.pk][0] += c.d_in
        totals[c.record.pk][1] += c.d_alloc
    for record in records.values():
        record.pre_save_signal()
    _update_counts(totals)
    movements = []
    for c in changes:
        record = records[c.record.pk]  # the one instance per record that keeps the running counts
        if c.d_in or record.num_in_stock is not None:
            record.num_in_stock = (record.num_in_stock or 0) + c.d_in
        if c.d_alloc or record.num_allocated is not None:
            record.num_allocated = (record.num_allocated or 0) + c.d_alloc
        movements.append(StockMovement(
            stockrecord=record, delta_in_stock=c.d_in, delta_allocated=c.d_alloc, in_stock_after=record.num_in_stock,
            allocated_after=record.num_allocated or 0, reason=c.reason, note=(c.note or "")[:255],
            actor=_actor(c.actor), order_line=c.line, **_source_fields(c.source)))
    StockMovement.objects.bulk_create(movements)
    for pk, record in records.items():
        record.__dict__["_loaded_counts"] = {"num_in_stock": record.num_in_stock, "num_allocated": record.num_allocated}
        # What this write did to the free units, for the receivers (shop/partner/alerts.py: no "back in
        # stock" e-mail runs when no unit became free).
        record._ledger_change = tuple(totals[pk])
        record.post_save_signal()
    for c in changes:
        if c.record is not records[c.record.pk]:
            _sync(c.record, records[c.record.pk])
    return movements


def _update_counts(totals: dict[int, list[int]]) -> None:
    """Add the deltas to the rows in one UPDATE (F() on the locked rows: the database adds)."""
    if len({tuple(d) for d in totals.values()}) == 1:  # the same deltas for every row: an order's units
        _add_to_counts(list(totals), *next(iter(totals.values())))
        return
    changes = {}
    if any(d[0] for d in totals.values()):
        changes["num_in_stock"] = Coalesce(F("num_in_stock"), 0) + _by_pk({pk: d[0] for pk, d in totals.items()})
    if any(d[1] for d in totals.values()):
        changes["num_allocated"] = Coalesce(F("num_allocated"), 0) + _by_pk({pk: d[1] for pk, d in totals.items()})
    StockRecord.objects.filter(pk__in=list(totals)).update(**changes)


def _add_to_counts(ids: list[int], d_in: int, d_alloc: int) -> None:
    """The UPDATE `_update_counts` makes with F() when every row gets the same deltas, as SQL whose
    text is made once per column set and number of rows: Django compiled the expressions on every
    order placed (issue 21). Like QuerySet.update(), it sends no signal and leaves date_updated
    (the ledger sends Oscar's signals itself, _write_many)."""
    columns = tuple(name for name, delta in (("num_in_stock", d_in), ("num_allocated", d_alloc)) if delta)
    if not columns:
        return
    key = (connection.vendor, columns, len(ids))
    sql = _ADD_SQL.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        sets = ", ".join(f"{quote(c)} = COALESCE({quote(c)}, 0) + %s" for c in columns)
        sql = (f"UPDATE {quote(StockRecord._meta.db_table)} SET {sets} "
               f"WHERE {quote(StockRecord._meta.pk.column)} IN ({', '.join(['%s'] * len(ids))})")
        if len(_ADD_SQL) > 64:
            _ADD_SQL.clear()
        _ADD_SQL[key] = sql
    deltas = [d for d in (d_in, d_alloc) if d]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*deltas, *ids])


_ADD_SQL: dict[tuple, str] = {}


def _by_pk(values: dict[int, int]):
    """An expression worth values[pk] on each row: one UPDATE gives every row its own number."""
    if len(set(values.values())) == 1:
        return Value(next(iter(values.values())))
    return Case(*[When(pk=pk, then=Value(v)) for pk, v in values.items()], default=Value(0),
                output_field=IntegerField())


def _free(record) -> int:
    return (record.num_in_stock or 0) - (record.num_allocated or 0)


# --- new records -------------------------------------------------------------------------------

def record_created(record, *, actor=None) -> StockMovement | None:
    """The first movement of a record just inserted with its counts (no lock: nobody sees it yet)."""
    d_in, d_alloc = record.num_in_stock or 0, record.num_allocated or 0
    if not d_in and not d_alloc:
        return None
    return StockMovement.objects.create(stockrecord=record, delta_in_stock=d_in, delta_allocated=d_alloc,
                                        in_stock_after=d_in, allocated_after=d_alloc, reason=Reason.CREATED,
                                        actor=_actor(actor))


def record_created_bulk(records) -> int:
    """record_created for records made with bulk_create (which skips save())."""
    rows = [StockMovement(stockrecord_id=r.pk, delta_in_stock=r.num_in_stock or 0,
                          delta_allocated=r.num_allocated or 0, in_stock_after=r.num_in_stock or 0,
                          allocated_after=r.num_allocated or 0, reason=Reason.CREATED)
            for r in records if (r.num_in_stock or 0) or (r.num_allocated or 0)]
    StockMovement.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- orders: hold, hand over, release ----------------------------------------------------------

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


def lock_for_basket(lines, *, partner_related: Iterable[str] = ()) -> dict[int, StockRecord]:
    """Lock every stock record the basket lines ask for and check them all at once under the lock;
    raises InsufficientStock listing every short line. Call inside the order's transaction and
    allocate the order lines afterwards (allocate_lines) while the locks are held.
    `partner_related`: as lock_stockrecords."""
    lines = list(lines)
    asked, titles = _tracked_quantities(lines)
    if not asked:
        return {}
    records = lock_stockrecords(asked, products={line.product_id: line.product for line in lines},
                                partner_related=partner_related)
    shortages = []
    for pk in sorted(asked):
        record = records.get(pk)
        available = max(record.net_stock_level, 0) if record else 0
        if asked[pk] > available:
            shortages.append(Shortage(title=titles[pk], asked=asked[pk], available=available))
    if shortages:
        raise InsufficientStock(shortages)
    return records


@transaction.atomic
def allocate_line(line, *, actor=None, record=None) -> StockMovement | None:
    """Hold an order line's units on its stock record (num_allocated += quantity). `record`: the row
    already locked by lock_for_basket. Raises InsufficientStock when the units are not free."""
    if not line.stockrecord_id:
        return None
    if record is None or record.pk != line.stockrecord_id:
        record = lock_stockrecords([line.stockrecord_id]).get(line.stockrecord_id)
    movements = allocate_lines([line], records={record.pk: record} if record is not None else {}, actor=actor)
    return movements[0] if movements else None


@transaction.atomic(savepoint=False)  # inside the order's transaction: no savepoint of its own
def allocate_lines(lines, *, records: dict[int, StockRecord], actor=None) -> list[StockMovement]:
    """Hold each order line's units on its stock record, all at once: `records` are the rows
    lock_for_basket locked and checked (a line whose record is missing from them, or untracked, holds
    nothing, as allocate_line). The movements are the ones allocate_line would write line by line, in
    the lines' order. Raises InsufficientStock (every short line) when units are not free."""
    changes, short, free = [], [], {pk: _free(record) for pk, record in records.items()}
    for line in lines:
        record = records.get(line.stockrecord_id) if line.stockrecord_id else None
        if record is None or not record.can_track_allocations:
            continue
        if free[record.pk] < line.quantity:  # cannot happen after lock_for_basket; the guard stays honest
            short.append(Shortage(line.title, line.quantity, max(free[record.pk], 0)))
        free[record.pk] -= line.quantity
        changes.append(_Change(record, d_alloc=line.quantity, reason=Reason.ALLOCATED, actor=actor, line=line))
    if short:
        raise InsufficientStock(short)
    return _write_many(changes)


@transaction.atomic
def consume_lines(lines, *, actor, reason=Reason.HANDED_OVER, quantities: dict[int, int] | None = None,
                  source=None, note: str = "") -> int:
    """The goods of these order lines left: their held units come out of allocated and in stock.
    Idempotent per line (what is no longer held is not consumed again). Returns the units consumed.
    One movement per line, as line by line; the lines and the records each updated in one UPDATE."""
    lines = _lock_lines(lines)
    records = lock_stockrecords(line.stockrecord_id for line in lines)
    counts = {pk: [record.num_in_stock or 0, record.num_allocated or 0] for pk, record in records.items()}
    taken, changes = {}, []
    for line in lines:
        record = records.get(line.stockrecord_id)
        held = 0 if line.allocation_cancelled else line.num_allocated or 0
        if record is None or held <= 0 or not record.can_track_allocations:
            continue
        quantity = held if quantities is None else min(int(quantities.get(line.pk, 0)), held)
        if quantity <= 0:
            continue
        in_stock, allocated = counts[record.pk]  # as the lines before this one left them
        if allocated < quantity or in_stock < quantity:
            raise StockError(gettext("The stock record of «%(title)s» holds fewer units than the order line: "
                                     "check it in the stock history.") % {"title": line.title})
        counts[record.pk] = [in_stock - quantity, allocated - quantity]
        taken[line.pk] = quantity
        changes.append(_Change(record, -quantity, -quantity, reason, actor, line, source, note))
    if taken:
        Line.objects.filter(pk__in=list(taken)).update(num_allocated=F("num_allocated") - _by_pk(taken))
    _write_many(changes)
    return sum(taken.values())


@transaction.atomic
def release_lines(lines, *, actor, reason=Reason.RELEASED, source=None, note: str = "") -> int:
    """Give the units these order lines still hold back to the shelf (cancelled, expired, refused
    before hand-over). Idempotent. Returns the units released. One movement per line, as line by
    line; the lines and the records each updated in one UPDATE."""
    lines = _lock_lines(lines)
    records = lock_stockrecords(line.stockrecord_id for line in lines)
    allocated = {pk: record.num_allocated or 0 for pk, record in records.items()}
    cancelled, changes = [], []
    for line in lines:
        record = records.get(line.stockrecord_id)
        held = 0 if line.allocation_cancelled else line.num_allocated or 0
        if held <= 0:
            continue
        cancelled.append(line.pk)
        if record is None or not record.can_track_allocations:
            continue
        quantity = min(held, allocated[record.pk])  # never below 0 (rows clamped by migration 0009)
        allocated[record.pk] -= quantity
        changes.append(_Change(record, 0, -quantity, reason, actor, line, source, note))
    if cancelled:
        Line.objects.filter(pk__in=cancelled).update(num_allocated=0, allocation_cancelled=True)
    _write_many(changes)
    return -sum(change.d_alloc for change in changes)


@transaction.atomic
def reallocate_line(*, line, to_record, actor, note: str = "") -> None:
    """Hold the line's units on `to_record` instead of its own record, and point the line at it (a
    pick-up order served from the showroom's shelf). StockError when `to_record` has too few free."""
    (line,) = _lock_lines([line])
    if line.stockrecord_id == to_record.pk:
        return
    records = lock_stockrecords([line.stockrecord_id, to_record.pk])
    old, new = records.get(line.stockrecord_id), records[to_record.pk]
    held = 0 if line.allocation_cancelled else line.num_allocated or 0
    if held and new.can_track_allocations and _free(new) < held:
        raise StockError(gettext("Only %(free)d of «%(title)s» are free there.")
                         % {"free": max(_free(new), 0), "title": line.title})
    if held and old is not None and old.can_track_allocations:
        _write(old, d_alloc=-min(held, old.num_allocated or 0), reason=Reason.RELEASED, actor=actor, line=line,
               note=note)
    Line.objects.filter(pk=line.pk).update(stockrecord=new, partner=new.partner,
                                           partner_name=new.partner.name, partner_sku=new.partner_sku)
    if held and new.can_track_allocations:
        _write(new, d_alloc=held, reason=Reason.ALLOCATED, actor=actor, line=line, note=note)


# --- goods coming back -------------------------------------------------------------------------

def returnable(line) -> int:
    """Units of the order line handed over and not yet received back. A line sold before the ledger
    existed (no movement of its own) counts what Oscar left consumed: quantity − still allocated."""
    moves = StockMovement.objects.filter(order_line_id=line.pk)
    if not moves.exists():
        held = 0 if line.allocation_cancelled else line.num_allocated or 0
        out = line.quantity - held if not line.allocation_cancelled else 0
    else:
        out = -(moves.filter(reason__in=OUT_REASONS).aggregate(n=Sum("delta_in_stock"))["n"] or 0)
    back = moves.filter(reason__in=BACK_REASONS).aggregate(n=Sum("delta_in_stock"))["n"] or 0
    return max(out - back, 0)


@transaction.atomic
def receive_back(*, line, quantity: int, actor, note: str = "", reason=Reason.RECEIVED_BACK, damaged: bool = False,
                 source=None) -> StockMovement | None:
    """`quantity` units of a handed-over order line are back in the line's stock record; damaged
    ones are written off at once. With `source`, a repeat for the same source and line is a no-op
    (returns the first movement)."""
    if reason not in BACK_REASONS:
        raise ValueError(f"receive_back reason must be one of {BACK_REASONS}")
    quantity = int(quantity)
    if quantity <= 0:
        raise StockError(gettext("Give a number of units above 0."))
    (line,) = _lock_lines([line])
    if source is not None:
        earlier = StockMovement.objects.filter(order_line_id=line.pk, reason=reason, **_source_fields(source)).first()
        if earlier is not None:
            return earlier
    left = returnable(line)
    if quantity > left:
        raise StockError(gettext("Only %(left)d of «%(title)s» went out and have not come back yet.")
                         % {"left": left, "title": line.title})
    record = lock_stockrecords([line.stockrecord_id]).get(line.stockrecord_id)
    if record is None:
        raise StockError(gettext("«%(title)s» has no stock record any more.") % {"title": line.title})
    movement = _write(record, d_in=quantity, reason=reason, actor=actor, line=line, source=source, note=note)
    if damaged:
        _write(record, d_in=-quantity, reason=Reason.WRITTEN_OFF, actor=actor, line=line, source=source,
               note=note or gettext("Came back damaged"))
    return movement


@transaction.atomic
def write_off(*, stockrecord, quantity: int, actor, reason: str, line=None, source=None) -> StockMovement:
    """Take `quantity` free units out of stock for good (broken, expired, lost); `reason` is kept."""
    quantity = int(quantity)
    if quantity <= 0:
        raise StockError(gettext("Give a number of units above 0."))
    if not (reason or "").strip():
        raise StockError(gettext("Say why the units are written off."))
    record = lock_stockrecords([stockrecord.pk])[stockrecord.pk]
    if _free(record) < quantity:
        raise StockError(gettext("Only %(free)d units are free: the rest are held by orders.")
                         % {"free": max(_free(record), 0)})
    return _write(record, d_in=-quantity, reason=Reason.WRITTEN_OFF, actor=actor, line=line, source=source,
                  note=reason.strip())


# --- counts and corrections --------------------------------------------------------------------

@transaction.atomic
def set_counted(*, stockrecord, counted: int, actor, reason, note: str = "", source=None) -> StockMovement | None:
    """The record now holds `counted` units (a stocktake, the producer's or the office's edit, an
    import). Refused below the units orders hold. No change writes no row."""
    if counted is None or int(counted) < 0:
        raise StockError(gettext("Count a whole number of units, 0 or more."))
    counted = int(counted)
    record = lock_stockrecords([stockrecord.pk])[stockrecord.pk]
    if counted < (record.num_allocated or 0):
        raise StockError(gettext("%(count)d units are allocated to orders: the stock cannot be lower.")
                         % {"count": record.num_allocated})
    movement = _write(record, d_in=counted - (record.num_in_stock or 0), reason=reason, actor=actor, source=source,
                      note=note)
    _sync(stockrecord, record)
    return movement


@transaction.atomic
def adjust(*, stockrecord, delta: int, actor, reason, note: str = "", line=None, source=None) -> StockMovement | None:
    """Add units (goods received) or take them (never more than the free units)."""
    delta = int(delta)
    record = lock_stockrecords([stockrecord.pk])[stockrecord.pk]
    if delta < 0 and _free(record) < -delta:
        raise StockError(gettext("Only %(free)d units are free: the rest are held by orders.")
                         % {"free": max(_free(record), 0)})
    movement = _write(record, d_in=delta, reason=reason, actor=actor, line=line, source=source, note=note)
    _sync(stockrecord, record)
    return movement


@transaction.atomic
def transfer_units(*, from_record, to_record, quantity: int, actor, source=None,
                   note: str = "") -> tuple[StockMovement, StockMovement]:
    """Move free units from one record to another (the producer's stock to a showroom's shelf)."""
    quantity = int(quantity)
    if quantity <= 0:
        raise StockError(gettext("Give a number of units above 0."))
    records = lock_stockrecords([from_record.pk, to_record.pk])
    giver, taker = records[from_record.pk], records[to_record.pk]
    if _free(giver) < quantity:
        raise StockError(gettext("Only %(free)d of «%(title)s» are free at the producer (asked %(asked)d).")
                         % {"free": max(_free(giver), 0), "title": giver.product.get_title(), "asked": quantity})
    out = _write(giver, d_in=-quantity, reason=Reason.TRANSFER_OUT, actor=actor, source=source, note=note)
    back = _write(taker, d_in=quantity, reason=Reason.TRANSFER_IN, actor=actor, source=source, note=note)
    return out, back


def _sync(instance, locked) -> None:
    """The caller's instance shows the counts written (and may be saved again for other fields)."""
    if instance is not locked:
        instance.num_in_stock, instance.num_allocated = locked.num_in_stock, locked.num_allocated
        instance.__dict__["_loaded_counts"] = {"num_in_stock": locked.num_in_stock,
                                               "num_allocated": locked.num_allocated}


# --- reading the ledger ------------------------------------------------------------------------

def history(stockrecord, *, limit: int = 50) -> list[StockMovement]:
    """The record's last `limit` movements, newest first, with what a history page links to."""
    return list(StockMovement.objects.filter(stockrecord_id=stockrecord.pk)
                .select_related("actor", "order_line__order", "source_type").order_by("-pk")[:limit])


def audit(records=None) -> list[Difference]:
    """Every stock record (or those of `records`, a queryset) whose counts differ from the sums of
    its movements. Two grouped queries, whatever the number of records."""
    qs = StockRecord.objects.all() if records is None else records
    sums = {row["stockrecord_id"]: (row["d_in"] or 0, row["d_alloc"] or 0)
            for row in StockMovement.objects.filter(stockrecord__in=qs.values("pk")).values("stockrecord_id")
            .annotate(d_in=Sum("delta_in_stock"), d_alloc=Sum("delta_allocated")).order_by()}
    wrong = []
    for pk, sku, in_stock, allocated in qs.order_by("pk").values_list("pk", "partner_sku", "num_in_stock",
                                                                     "num_allocated"):
        ledger_in, ledger_alloc = sums.get(pk, (0, 0))
        if (in_stock or 0) != ledger_in or (allocated or 0) != ledger_alloc:
            wrong.append(Difference(pk, sku, in_stock or 0, ledger_in, allocated or 0, ledger_alloc))
    return wrong


def movements_by_reason(records=None) -> dict[int, dict[str, int]]:
    """{stockrecord id: {reason: sum of delta_in_stock}}: what the load test's data check reads."""
    qs = StockMovement.objects.all() if records is None else StockMovement.objects.filter(stockrecord__in=records)
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for row in qs.values("stockrecord_id", "reason").annotate(n=Sum("delta_in_stock")).order_by():
        out[row["stockrecord_id"]][row["reason"]] = row["n"] or 0
    return dict(out)


__all__ = ["Difference", "InsufficientStock", "Reason", "Shortage", "StockError", "adjust", "allocate_line",
           "allocate_lines",
           "audit", "consume_lines", "history", "lock_for_basket", "lock_stockrecords", "movements_by_reason",
           "receive_back", "reallocate_line", "record_created", "record_created_bulk", "release_lines",
           "returnable", "set_counted", "transfer_units", "write_off"]

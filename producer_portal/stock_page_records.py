"""The stock page's records (50 a page, with their products), read by a query compiled once for
each number of rows (frozen.py): the stock page and its save both read them, and building and
compiling that query (50 ids, the product join, the title order) was about a tenth of a save's
queries' CPU. The formset is given them as an evaluated queryset, as it was given them before."""
from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from oscar.core.loading import get_model

from shop.partner.scoping import Partner, StockRecord, own_stockrecords

from .frozen import Frozen

StockAlert, ProductAlert = get_model("partner", "StockAlert"), get_model("customer", "ProductAlert")
ORDER = ("product__title", "pk")
_compiled: dict[tuple, Frozen] = {}  # (query, number of ids, options) → compiled once


def records_query(partner, ids, *, alerts=False):
    """The producer's records of these ids, with their products, by title: what the page shows.
    With `alerts` (a save, its rows locked), whether a low-stock alert is open on each record
    (`has_open_stock_alert`, as shop.partner.stock's lock reads it) and whether a shopper waits for
    its product ("e-mail me when it is back": `has_active_product_alert`, the alerts Oscar's
    receiver would read, of the product or its parent). The alert receivers (shop/partner/alerts.py)
    then read nothing after a saved row that is not below its threshold, had no low-stock alert
    open and no shopper waiting: 4 queries a saved row."""
    records = own_stockrecords(partner).filter(pk__in=list(ids)).select_related("product").order_by(*ORDER)
    if alerts:
        records = records.annotate(
            has_open_stock_alert=Exists(StockAlert.objects.filter(stockrecord=OuterRef("pk"), status=StockAlert.OPEN)),
            has_active_product_alert=Exists(ProductAlert.objects.filter(
                Q(product_id=OuterRef("product_id")) | Q(product_id=OuterRef("product__parent_id")),
                status=ProductAlert.ACTIVE)))
    return records


def _read(query, partner, ids: list[int], **options):
    """query(partner, ids, **options)'s rows, by a query compiled once for each query, number of ids
    and options (frozen.py): the partner and each id are its marks."""
    key = (query, len(ids), *sorted(options.items()))
    frozen = _compiled.get(key)
    if frozen is None:
        names = tuple(f"id{i}" for i in range(len(ids)))

        def make(partner, **named):
            return query(Partner(pk=partner), [named[name] for name in names], **options)

        frozen = _compiled[key] = Frozen(make, marks=("partner", *names))
    return frozen(partner=partner.pk, **{f"id{i}": pk for i, pk in enumerate(ids)})


def page_records(partner, ids, *, alerts=False):
    """records_query(partner, ids, alerts=…) as a queryset already read (what a formset iterates and indexes)."""
    ids = [int(pk) for pk in ids]
    records = _read(records_query, partner, ids, alerts=alerts) if ids else []
    queryset = StockRecord.objects.order_by(*ORDER)  # (its rows are those read above: never run)
    queryset._result_cache, queryset._prefetch_done = records, True
    return queryset


def locked_query(partner, ids):
    """The producer's own records among these ids, locked in pk order (StockListView.locked_posted_rows)."""
    return (own_stockrecords(partner).select_for_update(of=("self",), no_key=True)
            .filter(pk__in=list(ids)).order_by("pk").values_list("pk", flat=True))


def locked_ids(partner, ids) -> list[int]:
    """locked_query(partner, ids)'s ids, by a query compiled once for each number of ids."""
    ids = [int(pk) for pk in ids]
    return _read(locked_query, partner, ids) if ids else []

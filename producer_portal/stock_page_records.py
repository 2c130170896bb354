"""The stock page's records (50 a page, with their products), read by a query compiled once for
each number of rows (frozen.py): the stock page and its save both read them, and building and
compiling that query (50 ids, the product join, the title order) was about a tenth of a save's
queries' CPU. The formset is given them as an evaluated queryset, as it was given them before."""
from __future__ import annotations

from shop.partner.scoping import Partner, StockRecord, own_stockrecords

from .frozen import Frozen

ORDER = ("product__title", "pk")
_by_count: dict[int, Frozen] = {}


def records_query(partner, ids):
    """The producer's records of these ids, with their products, by title: what the page shows."""
    return own_stockrecords(partner).filter(pk__in=list(ids)).select_related("product").order_by(*ORDER)


def _frozen(count: int) -> Frozen:
    if count not in _by_count:
        names = tuple(f"id{i}" for i in range(count))

        def make(partner, **ids):
            return records_query(Partner(pk=partner), [ids[name] for name in names])

        _by_count[count] = Frozen(make, marks=("partner", *names))
    return _by_count[count]


def page_records(partner, ids):
    """records_query(partner, ids) as a queryset already read (what a formset iterates and indexes)."""
    ids = [int(pk) for pk in ids]
    records = _frozen(len(ids))(partner=partner.pk, **{f"id{i}": pk for i, pk in enumerate(ids)}) if ids else []
    queryset = StockRecord.objects.order_by(*ORDER)  # (its rows are those read above: never run)
    queryset._result_cache, queryset._prefetch_done = records, True
    return queryset


def locked_query(partner, ids):
    """The producer's own records among these ids, locked in pk order (StockListView.locked_posted_rows)."""
    return (own_stockrecords(partner).select_for_update(of=("self",), no_key=True)
            .filter(pk__in=list(ids)).order_by("pk").values_list("pk", flat=True))


_locked_by_count: dict[int, Frozen] = {}


def locked_ids(partner, ids) -> list[int]:
    """locked_query(partner, ids)'s ids, by a query compiled once for each number of ids."""
    ids = [int(pk) for pk in ids]
    if not ids:
        return []
    count = len(ids)
    if count not in _locked_by_count:
        names = tuple(f"id{i}" for i in range(count))

        def make(partner, **named):
            return locked_query(Partner(pk=partner), [named[name] for name in names])

        _locked_by_count[count] = Frozen(make, marks=("partner", *names))
    return _locked_by_count[count](partner=partner.pk, **{f"id{i}": pk for i, pk in enumerate(ids)})

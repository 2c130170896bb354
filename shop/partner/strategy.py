"""Which stock record a request sells from.

The web sells from the producer's record; a showroom's counter (the POS sets `request.pos_showroom`,
or a task passes `showroom=`) sells from the showroom's own shelf record. A showroom's records are
never offered online: they are goods on a shelf in Sơn La, not in the producer's store room.
"""
from django.db.models import prefetch_related_objects
from oscar.apps.partner import strategy as oscar_strategy
from oscar.apps.partner.strategy import *  # noqa: F401,F403
from oscar.core.loading import get_model

from catalog_ext.web_stock import web_record


class Selector(oscar_strategy.Selector):
    def strategy(self, request=None, user=None, showroom=None, **kwargs):
        showroom = showroom or getattr(request, "pos_showroom", None)
        if showroom is not None:
            return ShowroomShelf(showroom.partner_id, request)
        return Default(request)


class UseProducerStockRecord:
    """The web's record (catalog_ext.web_stock: the producer's own; no query, the producer id is on
    the product row and Oscar prefetches the records)."""

    def select_stockrecord(self, product):
        known = product.__dict__.get(WEB_RECORD_KNOWN, _UNKNOWN)
        if known is not _UNKNOWN:  # read with the basket's lines (known_from_lines)
            return known
        return web_record(product, list(product.stockrecords.all()))


WEB_RECORD_KNOWN = "_ocop_web_record"  # on a product: its web record (or None), read with a basket line
_UNKNOWN = object()


def known_from_lines(lines) -> list:
    """The web records of these basket lines' products, where the lines' own query says which it is
    (shop/basket/models.py line_annotations: `ocop_web_record_id`): none (the product has no web
    record), or the line's own record, joined to the line's row. Each such product keeps a record made
    from the line's record's values (Django's from_db, as the records' query made it, its `product`
    the product), so the strategy reads no stock record for it. Returns the products it could not tell
    (a line read without the annotation, or whose record is not the web's one): those are read as before."""
    from shop.basket.models import WEB_RECORD  # (the basket's models: not at this module's import)

    StockRecord = get_model("partner", "StockRecord")
    names = [field.attname for field in StockRecord._meta.concrete_fields]
    unknown = []
    for line in lines:
        product = line.product
        if product.__dict__.get(WEB_RECORD_KNOWN, _UNKNOWN) is not _UNKNOWN:
            continue
        web_id = line.__dict__.get(WEB_RECORD, _UNKNOWN)
        if web_id is _UNKNOWN:  # read without the annotation
            unknown.append(product)
            continue
        if web_id is None:
            product.__dict__[WEB_RECORD_KNOWN] = None
            continue
        joined = line.stockrecord if type(line).stockrecord.is_cached(line) else None
        if joined is None or joined.pk != web_id or joined.product_id != product.pk:
            unknown.append(product)
            continue
        record = StockRecord.from_db(joined._state.db, names, [getattr(joined, name) for name in names])
        StockRecord.product.field.set_cached_value(record, product)
        product.__dict__[WEB_RECORD_KNOWN] = record
    return unknown


_compiled_stockrecords = []  # the stock records of some products: its SQL compiled once (listing/compiled.py)


def _stockrecords_query():
    if not _compiled_stockrecords:
        from listing.compiled import Compiled, where

        StockRecord = get_model("partner", "StockRecord")
        names = [field.attname for field in StockRecord._meta.concrete_fields]
        _compiled_stockrecords.append(Compiled(
            lambda condition: where(StockRecord._default_manager.all(), condition).values(*names),
            table=StockRecord._meta.db_table, column="product_id", field="product_id__in"))
    return _compiled_stockrecords[0]


def prefetch_stockrecords(products) -> None:
    """`prefetch_related_objects(products, "stockrecords")`: the same query's rows (the SQL Django
    writes for it, compiled once), the same StockRecord instances (their from_db), each product's
    in the row order, kept as Django keeps a prefetch (`product.stockrecords.all()` answers them,
    a `.filter()` on it asks the database about that product). Products whose records are already
    prefetched are left as they are, as Django leaves them. Compiling the query was most of the
    ~4,700 Python calls of a 10-line basket's prefetch (issue 21)."""
    pending = [product for product in products
               if "stockrecords" not in getattr(product, "_prefetched_objects_cache", {})]
    if not pending:
        return
    StockRecord = get_model("partner", "StockRecord")
    names = [field.attname for field in StockRecord._meta.concrete_fields]
    db = StockRecord._default_manager.db
    by_product: dict = {}
    for row in _stockrecords_query().rows({product.pk for product in pending}):
        record = StockRecord.from_db(db, names, [row[name] for name in names])
        by_product.setdefault(record.product_id, []).append(record)
    for product in pending:
        records = by_product.get(product.pk, [])
        for record in records:  # as Django's prefetch sets the reverse relation on each record
            StockRecord.product.field.set_cached_value(record, product)
        queryset = product.stockrecords.get_queryset()
        queryset._result_cache, queryset._prefetch_done = records, True
        product.__dict__.setdefault("_prefetched_objects_cache", {})["stockrecords"] = queryset


class PrefetchBasketLines:
    """Each basket line asks for its purchase info on its own (Oscar's Line.purchase_info), and the
    policies read the product's stock records and class: load those for every line of the basket
    at the first ask, so a basket page costs the same queries at 1 line as at 10."""

    def fetch_for_line(self, line, stockrecord=None):
        lines = getattr(line.basket, "_lines", None)
        if lines is not None and getattr(line.basket, "_ocop_prefetched", None) is not lines:
            line.basket._ocop_prefetched = lines
            lines = list(lines)
            if all(type(line).product.is_cached(line) for line in lines):  # all_lines() joins them
                products = [line.product for line in lines]
                prefetch_stockrecords(known_from_lines(lines))
                # Django's prefetch skips what is read already and finds no parent where there is none
                # (~1,600 calls for nothing on a 10-line basket): only what is missing is asked for.
                prefetch_related_objects([product for product in products
                                          if not type(product).product_class.is_cached(product)], "product_class")
                prefetch_related_objects([product for product in products if product.parent_id is not None],
                                         "parent__product_class")
            else:
                prefetch_related_objects(lines, "product__stockrecords", "product__product_class",
                                         "product__parent__product_class")
        return super().fetch_for_line(line, stockrecord)


class Default(PrefetchBasketLines, UseProducerStockRecord, oscar_strategy.StockRequired, oscar_strategy.NoTax,
              oscar_strategy.Structured):
    """Online: the producer's record, stock required, prices include tax (VND, no tax line)."""


class UseShowroomStockRecord:
    def __init__(self, partner_id, request=None):
        super().__init__(request)
        self.partner_id = partner_id

    def select_stockrecord(self, product):
        prefetched = getattr(product, "_prefetched_objects_cache", {}).get("stockrecords")
        if prefetched is not None:
            return next((r for r in prefetched if r.partner_id == self.partner_id), None)
        return product.stockrecords.filter(partner_id=self.partner_id).first()


class ShowroomShelf(UseShowroomStockRecord, oscar_strategy.StockRequired, oscar_strategy.NoTax,
                    oscar_strategy.Structured):
    """At a showroom's counter: its own shelf record, and only what is on the shelf."""

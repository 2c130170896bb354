"""Which stock record a request sells from.

The web sells from the producer's record; a showroom's counter (the POS sets `request.pos_showroom`,
or a task passes `showroom=`) sells from the showroom's own shelf record. A showroom's records are
never offered online: they are goods on a shelf in Sơn La, not in the producer's store room.
"""
from django.db.models import prefetch_related_objects
from oscar.apps.partner import strategy as oscar_strategy
from oscar.apps.partner.strategy import *  # noqa: F401,F403

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
        return web_record(product, list(product.stockrecords.all()))


class PrefetchBasketLines:
    """Each basket line asks for its purchase info on its own (Oscar's Line.purchase_info), and the
    policies read the product's stock records and class: load those for every line of the basket
    at the first ask, so a basket page costs the same queries at 1 line as at 10."""

    def fetch_for_line(self, line, stockrecord=None):
        lines = getattr(line.basket, "_lines", None)
        if lines is not None and getattr(line.basket, "_ocop_prefetched", None) is not lines:
            line.basket._ocop_prefetched = lines
            prefetch_related_objects(list(lines), "product__stockrecords", "product__product_class",
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

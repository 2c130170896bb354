"""Which stock record the web sells a product from: the one rule, in Python for the strategy
(shop.partner.strategy, per product, from prefetched records) and in SQL for listings
(listing.filters, for a whole catalogue at once). tests/catalog_ext/test_web_stock.py holds the two
to the same answer. On PostgreSQL the web record's price is also kept on the product row by
triggers that apply this rule (migration listing 0003, listing/web_price.py): a change to the
rule changes them too (tests/listing/test_web_price.py holds the column to web_records()).

The rule: the producer's own record; for a product without a producer, its first record (lowest
primary key, as Oscar picks). A showroom shelf is a record of another partner, so it is never the
web's record (and a showroom only holds products that name their producer: pos.stock.transfer).
"""
from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


def web_record(product, records):
    """The web's record among `records` (a product's stock records, in primary-key order)."""
    if product.producer_id:
        return next((r for r in records if r.partner_id == product.producer_id), None)
    return min(records, key=lambda r: r.pk, default=None)


def web_records():
    """Every product's web record, as one queryset."""
    earlier = StockRecord.objects.filter(product=OuterRef("product"), pk__lt=OuterRef("pk"))
    return StockRecord.objects.filter(
        Q(partner_id=F("product__producer_id")) | (Q(product__producer__isnull=True) & ~Exists(earlier)))

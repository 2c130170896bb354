"""The order of the stock page's rows (product title, then record id), kept between visits.

A producer may sell thousands of products: putting 5,000 record ids in title order means reading
the title of each one's product (71–83 ms of the page's database time at 100,000 products, however
the query is shaped; a covering index only took it to 43 ms). The order changes only when the
producer gains or loses a record or a product is renamed, and every such write bumps the catalogue
version (catalog_ext/cache.py; a bump Redis lost is counted in the database). So the ids are kept
in the shared cache with the version they were read at, and a page reads its 50 from them.

Only with the cache every process shares (Redis): with a per-process cache a rename through another
worker would not move this worker's version, so the page then pages through the query itself.
"""
from __future__ import annotations

from django.core.cache import cache

from catalog_ext.cache import cache_is_shared, catalogue_version, lost_bumps_generation
from shop.partner.scoping import own_stockrecords

KEEP_SECONDS = 3600


def record_ids(partner):
    """The partner's stock record ids in the page's order: a list kept per catalogue version, or
    the query itself (for a Paginator: a count and one page of ids) when nothing can be kept."""
    query = own_stockrecords(partner).order_by("product__title", "pk").values_list("pk", flat=True)
    if not cache_is_shared():
        return query
    version = catalogue_version()  # read before the ids: a write meanwhile bumps it again after its commit
    if version is None:
        return query
    held = (version, lost_bumps_generation())
    key = f"ocop:portal:stock-order:{partner.pk}"
    kept = cache.get(key)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == held:
        return kept[1]
    ids = list(query)
    cache.set(key, (held, ids), KEEP_SECONDS)
    return ids

"""What the catalogue looks like right now, in two cheap parts, for caches that must never go stale.

- `catalogue_version()`: an integer kept in the cache, bumped (at once and again after commit) by
  every save or delete of what a product card or page shows (receivers below), and by
  `catalogue_changed()`, which code that writes with `queryset.update()` must call. Oscar's
  StockRecord.allocate/consume_allocation/cancel_allocation update with F() but send post_save
  themselves, so the receivers see them.
- `catalogue_fingerprint()`: one aggregate query (one scan per table) over products, stock
  records, certificates, GI licences and categories. It is the safety net for what the version
  cannot see: a per-process cache (the local-memory cache under `gunicorn -w 2`: a bump in one
  worker never reaches the other) and an UPDATE that forgot `catalogue_changed()`. Prices, stock
  and allocations are summed, visible rows counted and timestamps maxed, so a sale, a price
  change, a new, edited or hidden product, a new, edited or revoked certificate, a new or revoked
  licence, a hidden category and an added or removed image all change it. About 0.7 ms on SQLite at 1,000 products: the
  price of not trusting the version alone. What it does not see (a producer or category renamed,
  a GI's area edited) relies on the version: shared under Redis, per worker without it.

A key built from both (and today's date, for expiry at midnight) names one state of the catalogue.
"""
from __future__ import annotations

import time

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model

VERSION_KEY = "ocop:catalogue:version"


def catalogue_changed() -> None:
    """Call after writing anything a shopper sees in the catalogue without Model.save()/delete()
    (e.g. `StockRecord.objects.filter(...).update(num_allocated=F(...) + n)`).

    Bumps now, so later reads in this same transaction already build new keys, and again when the
    transaction commits: a request that built a key from the first bump while the change was not
    yet visible to it may have cached the old state, and the second bump retires that key."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        catalogue_version()


def catalogue_version() -> int:
    # A missing version (first use, or evicted: the local-memory cache culls when full, Redis may
    # evict) restarts from the clock in nanoseconds, above any value counted up by +1 since an
    # earlier start: a key built before the eviction is never built again.
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version if version is not None else time.time_ns()


def catalogue_fingerprint() -> tuple:
    """One query: aggregates that change whenever a price, stock level, product, certificate,
    GI licence or category visibility does (see the module docstring for why this backs up the version)."""
    product = get_model("catalogue", "Product")._meta.db_table
    stock = get_model("partner", "StockRecord")._meta.db_table
    certificate = get_model("catalog_ext", "Certificate")._meta.db_table
    licence = get_model("catalog_ext", "GILicence")._meta.db_table
    category = get_model("catalogue", "Category")._meta.db_table
    image = get_model("catalogue", "ProductImage")._meta.db_table
    # One scan per table (single-row derived tables, cross-joined).
    sql = (
        f"SELECT * FROM (SELECT MAX(date_updated), COUNT(*), SUM(CASE WHEN is_public THEN 1 ELSE 0 END)"
        f" FROM {product}) p,"
        f" (SELECT MAX(date_updated), COUNT(*), SUM(price), SUM(num_in_stock), SUM(num_allocated) FROM {stock}) s,"
        f" (SELECT MAX(updated_at), COUNT(*), COUNT(revoked_on) FROM {certificate}) c,"
        f" (SELECT MAX(id), COUNT(*), COUNT(revoked_on) FROM {licence}) l,"
        f" (SELECT COUNT(*) FROM {category} WHERE is_public) k,"
        f" (SELECT MAX(id), COUNT(*), MAX(display_order) FROM {image}) i"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(str(value) for value in cursor.fetchone())


def _changed(sender, **kwargs):
    if kwargs.get("raw"):  # loaddata: no shopper is looking yet
        return
    catalogue_changed()


# Everything a card, listing or product page shows comes from these.
WATCHED = (
    ("catalogue", "Product"), ("catalogue", "ProductImage"), ("catalogue", "ProductCategory"),
    ("catalogue", "Category"), ("catalogue", "ProductClass"), ("partner", "StockRecord"), ("partner", "Partner"),
    ("catalog_ext", "Certificate"), ("catalog_ext", "GILicence"), ("catalog_ext", "GeographicalIndication"),
    ("catalog_ext", "GIAreaUnit"), ("catalogue", "ProductAttributeValue"), ("reviews", "ProductReview"),
)


def connect_receivers() -> None:
    for app_label, name in WATCHED:
        try:
            model = get_model(app_label, name)
        except LookupError:  # an Oscar app this shop does not install
            continue
        post_save.connect(_changed, sender=model, dispatch_uid=f"ocop-catalogue-changed-save-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"ocop-catalogue-changed-delete-{name}")

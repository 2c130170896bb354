"""What the catalogue looks like right now, in two cheap parts, for caches that must never go stale.

- `catalogue_version()`: an integer kept in the cache, bumped (at once and again after commit) by
  every save or delete of what a product card or page shows (receivers below), and by
  `catalogue_changed()`, which code that writes with `queryset.update()` must call. The stock
  ledger (shop/partner/stock.py) updates counts with F() but sends post_save itself, as Oscar's
  stock methods did, so the receivers see it.
- `catalogue_fingerprint()`: needed only when the cache is per process (the local-memory cache of
  a set-up without Redis, under `gunicorn -w 2`: a bump in one worker never reaches the other).
  Then it is one aggregate query (one scan per table) over products, stock records, certificates,
  GI licences and categories: prices, stock and allocations summed, visible rows counted and
  timestamps maxed, so a sale, a price change, a new, edited or hidden product, a new, edited or
  revoked certificate, a new or revoked licence, a hidden category and an added or removed image
  all change it. It also catches an UPDATE that forgot `catalogue_changed()`. The scan grows with
  the catalogue (67 ms on PostgreSQL at 100,000 products), so on SQLite it is re-run only after
  something was written (`_sqlite_fingerprint`), and with Redis (the production shape, shared by
  every worker) it is skipped: there every write must go through save()/delete() or call
  `catalogue_changed()`, as every write in this code base does. What the scan does not see (a
  producer or category renamed, a GI's area edited) relies on the version in any case.
- With Redis, the fingerprint is instead the highest `LostVersionBump` (one O(1) query): Redis
  down means every cache call is an ignored failure (core/redis_cache.py), so a bump can be lost;
  it is then written to the database (in the change's own transaction), and a Redis that comes
  back holding the old version, with pages cached under it, never serves them. While the version
  cannot be read at all, no page is served from or stored in the page cache.

A key built from both (and today's date, for expiry at midnight) names one state of the catalogue.
"""
from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model

logger = logging.getLogger(__name__)
VERSION_KEY = "ocop:catalogue:version"
# Caches that live in one process: a version bumped in one worker is not seen by another.
LOCAL_CACHE_BACKENDS = ("LocMemCache", "DummyCache")


def catalogue_changed() -> None:
    """Call after writing anything a shopper sees in the catalogue without Model.save()/delete()
    (e.g. `StockRecord.objects.filter(...).update(num_allocated=F(...) + n)`).

    Bumps now, so later reads in this same transaction already build new keys, and again when the
    transaction commits: a request that built a key from the first bump while the change was not
    yet visible to it may have cached the old state, and the second bump retires that key (one
    after-commit bump per transaction does that for all its changes)."""
    _bump()
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump()
    elif getattr(connection, "_ocop_bump_after", None) is not connection.run_on_commit:
        # run_on_commit is a new list in each transaction (and after a savepoint rollback): one
        # after-commit bump per transaction, however many rows it saved.
        transaction.on_commit(_bump, robust=True)
        connection._ocop_bump_after = connection.run_on_commit


def _bump() -> None:
    try:
        bumped = cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        if catalogue_version() is None:
            _record_lost_bump()
        return
    except Exception:  # a cache backend that raises when its server is down
        logger.warning("Catalogue version not bumped: cache unavailable", exc_info=True)
        bumped = None
    if bumped is None:  # django-redis ignoring a failure (REDIS_URL and Redis down)
        _record_lost_bump()


def _record_lost_bump() -> None:
    """The cache did not take the bump: put it in the database, where every page key reads it.

    Inside a transaction the row is written with the change itself (an INSERT: it waits for no
    other writer), once per transaction; after commit, in its own."""
    from .models import LostVersionBump

    connection = transaction.get_connection()
    if connection.in_atomic_block:
        if getattr(connection, "_ocop_lost_bump_in", None) is connection.run_on_commit:
            return  # this transaction already wrote one
        connection._ocop_lost_bump_in = connection.run_on_commit
    LostVersionBump.objects.create()


def catalogue_version() -> int | None:
    """The shared version, or None when the cache cannot say (Redis down): then nothing may be
    served from or stored in the page cache under it."""
    # A missing version (first use, or evicted: the local-memory cache culls when full, Redis may
    # evict) restarts from the clock in nanoseconds, above any value counted up by +1 since an
    # earlier start: a key built before the eviction is never built again.
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            # add() answers True/False; django-redis answers None when it ignored a failure.
            if cache.add(VERSION_KEY, time.time_ns(), None) is None:
                return None
            version = cache.get(VERSION_KEY)
    except Exception:  # a cache backend that raises when its server is down
        logger.warning("Catalogue version unreadable: cache unavailable", exc_info=True)
        return None
    return version if version is not None else time.time_ns()


def lost_bumps_generation() -> int:
    """The highest lost bump (0: none ever): one O(1) query on the primary key index."""
    from .models import LostVersionBump

    return LostVersionBump.objects.aggregate(generation=Max("id"))["generation"] or 0


def cache_is_shared() -> bool:
    """Does every process read and bump the same version? (Not so for the local-memory cache.)"""
    return not settings.CACHES["default"]["BACKEND"].endswith(LOCAL_CACHE_BACKENDS)


def catalogue_fingerprint() -> tuple:
    """What a cache key needs beyond the version: nothing when the version is shared (Redis),
    otherwise the aggregates of `_scan()` (see the module docstring), which SQLite answers from a
    per-connection memo while nothing was written."""
    if cache_is_shared():
        # A bump the cache refused while Redis was down is in the database: a Redis that comes back
        # holding the old version must not serve the pages cached under it.
        return (lost_bumps_generation(),)
    if connection.vendor == "sqlite":
        return _sqlite_fingerprint()
    with connection.cursor() as cursor:
        return _scan(cursor)


def _sqlite_fingerprint() -> tuple:
    """`_scan()` again only when the database may have changed since this connection last ran it.

    SQLite's `data_version` changes when another connection (another worker) commits, and
    `total_changes()` when this one writes, so together they say "nothing written since" in one
    O(1) query; the scan (1.3 ms at 1,000 products, and growing with the catalogue) then runs only
    after a write. Persistent connections (CONN_MAX_AGE) keep the memo across requests."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes(), data_version FROM pragma_data_version")
        counters = cursor.fetchone()
        memo = getattr(connection, "_ocop_fingerprint", None)
        if memo is not None and memo[0] is connection.connection and memo[1] == counters:
            return memo[2]
        fingerprint = _scan(cursor)
        connection._ocop_fingerprint = (connection.connection, counters, fingerprint)
        return fingerprint


def _scan(cursor) -> tuple:
    """One query: aggregates that change whenever a price, stock level, product, certificate,
    GI licence or category visibility does."""
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

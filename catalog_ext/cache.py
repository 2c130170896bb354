"""What the catalogue looks like right now, in two cheap parts, for caches that must never go stale.

- `catalogue_version()`: an integer kept in the cache, bumped (at once and again after commit) by
  every save or delete of what a product card or page shows (receivers below), and by
  `catalogue_changed()`, which code that writes with `queryset.update()` must call. The stock
  ledger (shop/partner/stock.py) updates counts with F() but sends pre_save and post_save itself,
  as Oscar's stock methods did, so the receivers see it; a movement bumps the catalogue version
  only when it sells a product out or brings it back ("Stock", below).
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

Stock is finer (issue 21: an order must not empty the page cache). What a listing shows of
stock is one yes/no per product: sold out or not (the card's "In stock"/"Unavailable" and its add
button, the in-stock facet and its counts, the "in stock" filter, the listing's count under it),
all from the stock record the web sells from (web_stock) having a free unit, num_in_stock −
num_allocated > 0 (Oscar's StockRequired). Only the product page shows counts: "In stock (N
available)", the quantity picker's maximum, its showrooms' shelves ("2 left"). So a stock movement
(shop/partner/stock.py: an order placed, an allocation released or handed over, a counter sale, a
stock edit, a transfer) bumps:

- the product's stock version (`stock_changed()`, key `ocop:stock:<id>`), always: the product
  page's key holds it, read in the same round trip as the catalogue version
  (`read_versions(product_id)`, listing.page_cache);
- the catalogue version, only when the record's free units went from none to some or from some to
  none, and the record may be the one the web sells from (`_may_be_listed`: a showroom's shelf never
  is). Cards keep their key under that same yes/no (listing.cards), so a card outlives a sale too.

The decision is exact: the ledger sends pre_save with the record locked and holding its counts
before the change, and post_save after (both without `update_fields`, which is how a movement is
told from a save()); the free units before and after are compared under the row lock, so two
movements of one record decide in the order they commit. Both versions are bumped at once and again
after commit (the same rule as above), and a stock bump Redis does not take is a lost bump (every
key changes). A save() or delete of a stock record (a price, a new record, another partner) still
bumps the catalogue version: prices are shown everywhere and change rarely.

Without Redis (per-process cache) the fingerprint still sums every stock count, so there an order
does retire every page: a bump in one worker would not reach another, and the scan must see it.
"""
from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save, pre_save
from oscar.core.loading import get_model

logger = logging.getLogger(__name__)
VERSION_KEY = "ocop:catalogue:version"
STOCK_PREFIX = "ocop:stock:"
# A product's stock version lives this long from its start, then starts again higher (from the
# clock): a miss, never a stale hit; keys of products nobody sells age out.
STOCK_SECONDS = 30 * 24 * 3600
# Caches that live in one process: a version bumped in one worker is not seen by another.
LOCAL_CACHE_BACKENDS = ("LocMemCache", "DummyCache")


def catalogue_changed() -> None:
    """Call after writing anything a shopper sees in the catalogue without Model.save()/delete()
    (e.g. `StockRecord.objects.filter(...).update(num_allocated=F(...) + n)`).

    Bumps now, so later reads in this same transaction already build new keys, and again when the
    transaction commits: a request that built a key from the first bump while the change was not
    yet visible to it may have cached the old state, and the second bump retires that key (one
    after-commit bump per transaction does that for all its changes)."""
    now_and_after_commit(lambda _name: _bump(), ("catalogue",), memo="_ocop_bump_after")


def now_and_after_commit(bump, names, *, memo: str) -> None:
    """`bump(name)` for each name now, and again after the transaction commits: once per name and
    transaction however many times it is asked. Every version the caches key on moves this way (the
    catalogue's, a product's stock, a visitor's), so a key built while the change was not yet
    visible is retired at commit. `memo` names the connection attribute holding this kind's
    pending names.

    Outside a transaction, once: the change is committed already (autocommit; Django sends
    post_save after a multi-table save's own atomic block, and callers of catalogue_changed() call
    it after their write), so the one bump is after the commit, which is what the second bump is
    for in a transaction. A reader that read the old version before it and the rows after the
    commit stores the new rows under a retired key: harmless (issue 21: a basket made and a line
    added outside a transaction, as the orders bench does, were two Redis round trips each)."""
    names = sorted(set(names))
    if not names:
        return
    for name in names:
        bump(name)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    # run_on_commit is a new list in each transaction (and after a savepoint rollback): one
    # after-commit hook per transaction and kind, for all its names.
    pending = getattr(connection, memo, None)
    if pending is None or pending[0] is not connection.run_on_commit:
        pending = (connection.run_on_commit, set())
        setattr(connection, memo, pending)
        transaction.on_commit(lambda: [bump(name) for name in sorted(pending[1])], robust=True)
    pending[1].update(names)


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


def stock_key(product_id) -> str:
    return f"{STOCK_PREFIX}{product_id}"


def stock_changed(product_ids) -> None:
    """The stock counts of these products changed (what their product pages show): bump each one's
    stock version at once and again after commit, as catalogue_changed() does the catalogue's."""
    now_and_after_commit(_bump_stock, (pk for pk in product_ids if pk is not None), memo="_ocop_stock_bumps")


# A bump that finds its version missing (never read, or evicted) does nothing: its next reader
# starts it from the clock in nanoseconds (_start_stock_version, visitor_versions.read), above every
# version counted up by +1 before, so no key built before the eviction is built again. Starting it
# at the bump instead (before issue 21) gave the same versions one Redis round trip later, and a new
# basket's version is missing at its first bump on every order. A reader that starts it after the
# bump reads the rows after it too: the bump follows the change's commit, or the transaction's
# after-commit bump follows the reader.
def _bump_stock(product_id) -> None:
    key = stock_key(product_id)
    try:
        bumped = cache.incr(key)
    except ValueError:  # not set yet, or evicted: nothing to move (above)
        return
    except Exception:  # a cache backend that raises when its server is down
        logger.warning("Stock version of product %s not bumped: cache unavailable", product_id, exc_info=True)
        bumped = None
    if bumped is None:  # django-redis ignoring a failure: every key changes when Redis is back
        _record_lost_bump()


def read_versions(product_id=None) -> tuple[int, int | None] | None:
    """(catalogue version, the product's stock version or None when no product is asked), in one
    cache round trip; None when the cache cannot say (Redis down)."""
    keys = [VERSION_KEY] if product_id is None else [VERSION_KEY, stock_key(product_id)]
    try:
        found = cache.get_many(keys)
    except Exception:  # a cache backend that raises when its server is down
        logger.warning("Catalogue version unreadable: cache unavailable", exc_info=True)
        return None
    version = found.get(VERSION_KEY)
    if version is None:  # first use, evicted, or Redis down (django-redis answers {})
        version = catalogue_version()
        if version is None:
            return None
    if product_id is None:
        return version, None
    stock = found.get(stock_key(product_id))
    if stock is None:
        stock = _start_stock_version(product_id)
        if stock is None:
            return None
    return version, stock


def _start_stock_version(product_id) -> int | None:
    key = stock_key(product_id)
    try:
        if cache.add(key, time.time_ns(), STOCK_SECONDS) is None:  # django-redis ignoring a failure
            return None
        return cache.get(key)
    except Exception:
        logger.warning("Stock version unreadable: cache unavailable", exc_info=True)
        return None


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
    `total_changes()` when this one writes (a rollback moves neither back: `_Memo`), so together
    they say "nothing written since" in one O(1) query; the scan (1.3 ms at 1,000 products, and growing with the catalogue) then runs only
    after a write. Persistent connections (CONN_MAX_AGE) keep the memo across requests."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes(), data_version FROM pragma_data_version")
        counters = cursor.fetchone()
        memo = getattr(connection, "_ocop_fingerprint", None)
        if memo is not None and memo.holds(counters):
            return memo.fingerprint
        fingerprint = _scan(cursor)
    connection._ocop_fingerprint = _Memo(counters, fingerprint)
    return fingerprint


class _Memo:
    """A fingerprint and SQLite's counters when it was taken. A rollback moves neither counter back,
    so a memo taken inside a transaction holds only while that transaction may still commit (its
    on_commit callback still waits: Django drops it when the transaction or the savepoint it was
    taken in rolls back) or once it has; otherwise it would answer for rows that never were."""

    def __init__(self, counters: tuple, fingerprint: tuple):
        self.raw, self.counters, self.fingerprint = connection.connection, counters, fingerprint
        self.waiting = None
        if connection.in_atomic_block:
            def committed():
                self.waiting = None

            self.waiting = committed
            transaction.on_commit(committed)

    def holds(self, counters: tuple) -> bool:
        if self.raw is not connection.connection or self.counters != counters:
            return False
        # run_on_commit: Django's (savepoint ids, callback, robust) entries of the open transaction.
        return self.waiting is None or any(entry[1] is self.waiting for entry in connection.run_on_commit)


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


def _sellable(record) -> bool:
    """Has the record a free unit? (Oscar's StockRequired: net_stock_level > 0.)"""
    return (record.num_in_stock or 0) - (record.num_allocated or 0) > 0


def _may_be_listed(record) -> bool:
    """May this record be the one the web sells from (catalog_ext.web_stock: the producer's own;
    the first record of a product without producer)? Asked of the product the ledger locked the
    record with (no query); when it is not loaded, yes."""
    product = record._meta.get_field("product").get_cached_value(record, None)
    if product is None or not product.producer_id:
        return True
    return record.partner_id == product.producer_id


# What a page shows of a stock record besides its counts (which record the web sells from: its
# partner and product; the price).
SHOWN_FIELDS = ("price", "price_currency", "partner_id", "product_id")


def _stock_moving(sender, instance, **kwargs):
    """pre_save. Of a ledger movement (no update_fields: Model.save() always passes them): the
    record is locked and holds its counts before the change. Of a save() of an existing record:
    are the shown fields it writes the same as stored (a producer's form saves the threshold and
    the unchanged price beside every new count)? One query, for saves only; none when the saver
    read the row under its lock and says what it held (`_ocop_stored_shown`: the stock page's save,
    producer_portal/forms.py)."""
    if kwargs.get("raw"):
        return
    if "update_fields" not in kwargs:
        instance.__dict__["_ocop_sellable_before"] = _sellable(instance)
        return
    same = False
    if not instance._state.adding and instance.pk is not None:
        written = kwargs["update_fields"]
        fields = [f for f in SHOWN_FIELDS if written is None or f in written or f.removesuffix("_id") in written]
        known = instance.__dict__.pop("_ocop_stored_shown", None)  # as read under the row's lock by its saver
        stored = ({f: known[f] for f in fields} if known is not None
                  else sender.objects.filter(pk=instance.pk).values(*fields).first() if fields else {})
        same = stored is not None and all(stored[f] == getattr(instance, f) for f in fields)
    instance.__dict__["_ocop_shown_same"] = same  # set on every save: never one left from an earlier


def _stock_saved(sender, instance, created=False, **kwargs):
    if kwargs.get("raw"):
        return
    before = instance.__dict__.pop("_ocop_sellable_before", None)
    if "update_fields" in kwargs or created or before is None:
        if not created and instance.__dict__.pop("_ocop_shown_same", False):
            # nothing a page shows was written (counts never are, by save(): shop/partner/models.py)
            return
        catalogue_changed()  # a save(): a price, a new record, another partner
        return
    if before != _sellable(instance) and _may_be_listed(instance):
        catalogue_changed()  # sold out, or back in stock: every listing that shows it
    stock_changed([instance.product_id])  # its product page's counts and shelves


# Everything a card, listing or product page shows comes from these (and stock records, below).
WATCHED = (
    ("catalogue", "Product"), ("catalogue", "ProductImage"), ("catalogue", "ProductCategory"),
    ("catalogue", "Category"), ("catalogue", "ProductClass"), ("partner", "Partner"),
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
    # Stock records: a movement bumps the product's stock version, and the catalogue's only when it
    # sells the product out or brings it back (module docstring).
    StockRecord = get_model("partner", "StockRecord")
    pre_save.connect(_stock_moving, sender=StockRecord, dispatch_uid="ocop-stock-moving")
    post_save.connect(_stock_saved, sender=StockRecord, dispatch_uid="ocop-catalogue-changed-save-StockRecord")
    post_delete.connect(_changed, sender=StockRecord, dispatch_uid="ocop-catalogue-changed-delete-StockRecord")

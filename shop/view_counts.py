"""Product view counts, added up in memory and written in batches.

Oscar's analytics adds one to ProductRecord.num_views with an UPDATE on every product page view:
a write for every read, which on SQLite queues every visitor behind the write lock (`make bench`:
the product page was the one page below a quarter of the server's hello-world rate). Here each
process counts views and writes the sums at most every FLUSH_SECONDS or FLUSH_VIEWS views, one
UPDATE per product, and at exit. A process killed outright loses its unwritten views: a view
count is a popularity signal; nothing that must not be lost (orders, payments, notifications)
passes through here. Signed-in shoppers' own history (Oscar's UserRecord view counter and a
UserProductView row per view, analytics the shop shows nowhere) is batched the same way: a cached
product page served to a customer then writes nothing (issue 21: it was five statements per view),
and a row's date is its flush's, at most FLUSH_SECONDS after the view.

Oscar's counters (`_update_counter`: UPDATE, and INSERT when no row was updated) catch the
IntegrityError of two requests inserting the same product's first row at once, but without a
savepoint: on PostgreSQL, inside the request's transaction (ATOMIC_REQUESTS), that aborts the whole
transaction and the request fails with a 500. `make loadtest` met it as "add to basket: HTTP 500"
on a fresh catalogue (7 of 8 simultaneous first additions of a product fail); the same counter runs
inside the order's own transaction when an order is placed. `update_counter` below inserts in a
savepoint, and the basket-addition and order-placed receivers are replaced to use it.

The product's basket and purchase counters are written after the request's or order's commit
(`transaction.on_commit`), each in its own short transaction: held until the COMMIT, the analytics
row closed a deadlock under `make loadtest` (an add to basket held it while its COMMIT's
foreign-key check waited on a stock row, which an order being placed held while it waited on that
same analytics row). A rolled-back order then counts no purchase either. The purchases are added
up in memory after the commit and written with the views (issue 21: an UPDATE and a transaction
of its own after every order was a sixth of what placing it cost the database): like a view, a
purchase count is a popularity signal (the "best sellers" sort); the order itself, its lines and
the stock ledger are written in the order's transaction, never here.
"""
from __future__ import annotations

import atexit
import threading
import time
from collections import Counter

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from oscar.apps.analytics import receivers as oscar_receivers
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.order.signals import order_placed

FLUSH_SECONDS = 30
FLUSH_VIEWS = 200

_lock = threading.Lock()
_pending: Counter[int] = Counter()
_pending_purchases: Counter[int] = Counter()  # units bought per product id, after their orders' commits
_pending_users: list[tuple[int, int]] = []  # (user id, product id) of each signed-in view
_last_flush = time.monotonic()


def update_counter(model, field_name: str, filter_kwargs: dict, increment: int = 1) -> None:
    """Add `increment` to `field_name` of the row `filter_kwargs` names, creating it if missing; the
    INSERT runs in a savepoint, so losing the race to another request only means counting on its row."""
    record = model.objects.filter(**filter_kwargs)
    if record.update(**{field_name: F(field_name) + increment}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**filter_kwargs, **{field_name: increment})
    except IntegrityError:  # created meanwhile by another request: now the UPDATE finds it
        record.update(**{field_name: F(field_name) + increment})


def receive_basket_addition(sender, product, user, **kwargs):
    """Oscar's receiver, on the savepoint-safe counter."""
    if kwargs.get("raw", False):
        return
    transaction.on_commit(lambda: update_counter(oscar_receivers.ProductRecord, "num_basket_additions",
                                                 {"product_id": product.pk}))
    if user and user.is_authenticated:
        update_counter(oscar_receivers.UserRecord, "num_basket_additions", {"user": user})


def receive_order_placed(sender, order, user, lines=None, **kwargs):
    """Oscar's receiver, on the savepoint-safe counter (it runs inside the order's transaction).
    `lines`: the order's lines when OrderCreator sends them (else read)."""
    if kwargs.get("raw", False):
        return
    bought = Counter()
    for line in order.lines.all() if lines is None else lines:
        if line.product_id:
            bought[line.product_id] += line.quantity
    transaction.on_commit(lambda: count_purchases(bought))
    if user and user.is_authenticated:
        try:
            with transaction.atomic():  # Oscar catches this one's IntegrityError too late; the savepoint rolls it back
                oscar_receivers._record_user_order(user, order)
        except DatabaseError:
            oscar_receivers.logger.warning("analytics: the user's order record lost a race; the order is unaffected")


def count_purchases(bought: dict[int, int]) -> None:
    """Count the units bought of each product (after the order's commit); written with the views."""
    with _lock:
        _pending_purchases.update(bought)
        due = _flush_due()
    if due:
        flush()


def _flush_due() -> bool:
    """Called with _lock held."""
    return (sum(_pending.values()) + sum(_pending_purchases.values()) >= FLUSH_VIEWS
            or time.monotonic() - _last_flush >= FLUSH_SECONDS)


def receive_product_view(sender, product, user, **kwargs):
    if kwargs.get("raw", False):
        return
    with _lock:
        _pending[int(product.pk)] += 1  # a cached page hit names the product by the pk in its URL, a str
        if user and user.is_authenticated:
            _pending_users.append((user.pk, int(product.pk)))
        due = _flush_due()
    if due:
        flush()


def flush() -> int:
    """Write the views and purchases counted so far, of products that still exist; returns how many
    views were written. One statement per product and counter, each its own (products in id order)."""
    global _last_flush
    with _lock:
        counts = dict(_pending)
        _pending.clear()
        purchases = dict(_pending_purchases)
        _pending_purchases.clear()
        user_views = list(_pending_users)
        _pending_users.clear()
        _last_flush = time.monotonic()
    # A product may have been deleted since it was viewed or bought: its counts go with it.
    existing = set(oscar_receivers.ProductRecord.product.field.related_model.objects.filter(
        pk__in=set(counts) | set(purchases)).values_list("pk", flat=True)) if counts or purchases else set()
    written = 0
    for product_id, views in sorted(counts.items()):
        if product_id in existing:
            update_counter(oscar_receivers.ProductRecord, "num_views", {"product_id": product_id}, views)
            written += views
    for product_id, units in sorted(purchases.items()):
        if product_id in existing:
            update_counter(oscar_receivers.ProductRecord, "num_purchases", {"product_id": product_id}, units)
    _write_user_views([(user_id, product_id) for user_id, product_id in user_views if product_id in existing])
    return written


def _write_user_views(views: list[tuple[int, int]]) -> None:
    """Each customer's views: their counter, and one history row per view (of customers who still exist)."""
    if not views:
        return
    users = set(oscar_receivers.UserRecord.user.field.related_model.objects.filter(
        pk__in={user_id for user_id, _ in views}).values_list("pk", flat=True))
    views = [(user_id, product_id) for user_id, product_id in views if user_id in users]
    for user_id, count in sorted(Counter(user_id for user_id, _ in views).items()):
        update_counter(oscar_receivers.UserRecord, "num_product_views", {"user_id": user_id}, count)
    oscar_receivers.UserProductView.objects.bulk_create(
        oscar_receivers.UserProductView(user_id=user_id, product_id=product_id) for user_id, product_id in views)


def forget_unwritten() -> None:
    """Drop every count not written yet (tests: an earlier test's counts name products it rolled back)."""
    with _lock:
        _pending.clear()
        _pending_purchases.clear()
        _pending_users.clear()


def install():
    """Replace Oscar's per-view receiver with the batched one, and its basket and order counters with
    the savepoint-safe ones (called from the app's ready())."""
    product_viewed.disconnect(oscar_receivers.receive_product_view)
    product_viewed.connect(receive_product_view, dispatch_uid="ocop-batched-product-views")
    basket_addition.disconnect(oscar_receivers.receive_basket_addition)
    basket_addition.connect(receive_basket_addition, dispatch_uid="ocop-basket-addition-counter")
    order_placed.disconnect(oscar_receivers.receive_order_placed)
    order_placed.connect(receive_order_placed, dispatch_uid="ocop-order-placed-counter")
    atexit.register(_flush_at_exit)


def _flush_at_exit():
    try:
        flush()
    except Exception:  # noqa: BLE001 (the database may already be gone at interpreter exit)
        pass

"""Product view counts, added up in memory and written in batches.

Oscar's analytics adds one to ProductRecord.num_views with an UPDATE on every product page view:
a write for every read, which on SQLite queues every visitor behind the write lock (`make bench`:
the product page was the one page below a quarter of the server's hello-world rate). Here each
process counts views and writes the sums at most every FLUSH_SECONDS or FLUSH_VIEWS views, one
UPDATE per product, and at exit. A process killed outright loses its unwritten views: a view
count is a popularity signal; nothing that must not be lost (orders, payments, notifications)
passes through here. Signed-in shoppers' own history (UserProductView) is still written at once,
as Oscar does.
"""
from __future__ import annotations

import atexit
import threading
import time
from collections import Counter

from oscar.apps.analytics import receivers as oscar_receivers
from oscar.apps.catalogue.signals import product_viewed

FLUSH_SECONDS = 30
FLUSH_VIEWS = 200

_lock = threading.Lock()
_pending: Counter[int] = Counter()
_last_flush = time.monotonic()


def receive_product_view(sender, product, user, **kwargs):
    if kwargs.get("raw", False):
        return
    with _lock:
        _pending[int(product.pk)] += 1  # a cached page hit names the product by the pk in its URL, a str
        due = sum(_pending.values()) >= FLUSH_VIEWS or time.monotonic() - _last_flush >= FLUSH_SECONDS
    if user and user.is_authenticated:
        oscar_receivers._update_counter(oscar_receivers.UserRecord, "num_product_views", {"user": user})
        oscar_receivers.UserProductView.objects.create(product=product, user=user)
    if due:
        flush()


def flush() -> int:
    """Write the views counted so far, of products that still exist; returns how many were written."""
    global _last_flush
    with _lock:
        counts = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    # A product may have been deleted since it was viewed: its views go with it.
    existing = set(oscar_receivers.ProductRecord.product.field.related_model.objects.filter(
        pk__in=counts).values_list("pk", flat=True)) if counts else set()
    written = 0
    for product_id, views in sorted(counts.items()):
        if product_id in existing:
            oscar_receivers._update_counter(oscar_receivers.ProductRecord, "num_views", {"product_id": product_id}, views)
            written += views
    return written


def install():
    """Replace Oscar's per-view receiver with the batched one (called from the app's ready())."""
    product_viewed.disconnect(oscar_receivers.receive_product_view)
    product_viewed.connect(receive_product_view, dispatch_uid="ocop-batched-product-views")
    atexit.register(_flush_at_exit)


def _flush_at_exit():
    try:
        flush()
    except Exception:  # noqa: BLE001 (the database may already be gone at interpreter exit)
        pass

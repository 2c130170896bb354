"""The shipping and payment event types, kept per process for the office's page of one order (issue 21).

That page lists every event type of both kinds (the selects of its "create shipping/payment event"
actions): two queries on every page for rows that change rarely (a type is created when the first
event of a new name is recorded: shop/order/lifecycle.py, services.py, payment/refunds.py).

Kept per process, stamped with a version in the shared cache; an event type's save or delete
replaces the version before it is written and again once its transaction commits (what another
process read between the two is dropped too), and so does `migrate` (data migrations write through
historical models, which send no signal to these receivers). A kept pair is used while the cache
holds the same version, and for KEEP_SECONDS at most (a replacement that could not reach the cache).
A process whose transaction holds an event-type change not yet committed keeps nothing. With a
per-process cache (LocMemCache: SQLite and no REDIS_URL) or no reachable cache, the two lists are
read on every page, as Oscar does. Bulk writes (queryset.update, bulk_create) send no signal: none is
made of event types; one would have to call `event_types_changed()`.
"""
from __future__ import annotations

import time
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from oscar.core.loading import get_model

from catalog_ext.cache import cache_is_shared

ShippingEventType = get_model("order", "ShippingEventType")
PaymentEventType = get_model("order", "PaymentEventType")

VERSION_KEY = "ocop:event-types:version"
KEEP_SECONDS = 600
_kept: dict = {}  # "pair": (version, kept at (monotonic), shipping event types, payment event types)


def event_types() -> tuple[list, list]:
    """(shipping event types, payment event types), each in the models' order, as Oscar's
    `ShippingEventType.objects.all()` and `PaymentEventType.objects.all()` give them."""
    version = _version() if cache_is_shared() else None
    kept = _kept.get("pair")
    if version is not None and kept and kept[0] == version and time.monotonic() - kept[1] < KEEP_SECONDS:
        return list(kept[2]), list(kept[3])
    shipping, payment = list(ShippingEventType.objects.all()), list(PaymentEventType.objects.all())
    if version is not None and not _change_pending():
        _kept["pair"] = (version, time.monotonic(), tuple(shipping), tuple(payment))
    return shipping, payment


def _version() -> str | None:
    version = cache.get(VERSION_KEY)
    if version is None:  # a new or emptied cache: start one (none if another process just did)
        fresh = uuid.uuid4().hex
        version = fresh if cache.add(VERSION_KEY, fresh, timeout=None) else None
    return version


def event_types_changed(**kwargs) -> None:
    """Before an event type is written or deleted, and once its transaction commits: a new version."""
    _new_version()
    transaction.on_commit(_new_version, robust=True)


def _new_version() -> None:
    _kept.pop("pair", None)
    if cache_is_shared():
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _change_pending() -> bool:
    return any(func is _new_version for _sids, func, _robust in connection.run_on_commit)


def _after_migrate(**kwargs) -> None:
    _new_version()


def connect() -> None:
    """The signals that mean a change of event types (called from the order app's ready())."""
    from django.db.models.signals import post_migrate, pre_delete, pre_save

    for model in (ShippingEventType, PaymentEventType):
        pre_save.connect(event_types_changed, sender=model, dispatch_uid=f"event-types-save-{model._meta.label}")
        pre_delete.connect(event_types_changed, sender=model, dispatch_uid=f"event-types-delete-{model._meta.label}")
    post_migrate.connect(_after_migrate, dispatch_uid="event-types-migrate")

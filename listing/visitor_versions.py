"""Versions of what a visitor part shows besides the catalogue (issue 21): a basket, a customer's
account, the offers. listing.page_parts keeps the parts it drew (the header's account links and
basket, the product page's wish lists) beside the versions they were drawn at, and draws them
again when a version moved: a cache hit of a basket holder or a signed-in shopper then asks the
database nothing about the basket, the account or the offers.

- `basket:<id>`: every save or delete of the basket or one of its lines, and a voucher added or
  removed (the basket's count and total; submitting or merging a basket saves it).
- `user:<id>`: the customer's baskets and lines, account (staff flag, groups, permissions), unread
  notifications and wish lists.
- `accounts`: a group's permissions (every member's dashboard link).
- `offers`: offers, conditions, benefits, ranges, vouchers and their uses (a basket's total
  depends on them), and `offer_epoch()` for offers and vouchers that start or end at a time.

Prices, stock and products are the catalogue's own version (catalog_ext.cache), which the parts'
key holds as the page's does. No part shows a stock count (the header a basket's count of items
and total, from prices; the recently viewed products cards, which say only "In stock" or not), so
the product stock versions that an order bumps are not among them: a kept header outlives an
order for a product that stays in stock, and a sale that sells one out moves the catalogue version.

Bumped as catalog_ext.cache bumps the catalogue version: at once, so later reads in this
transaction already miss, and again after commit, so a part drawn from the rows as they were
before the commit, under the version of the first bump, is never used (outside a transaction the
change is committed already: once). A version missing (first use, evicted) restarts from the clock
in nanoseconds at its next read, above any version counted up from an earlier start; a bump finds
nothing to move then. A bump Redis did not take (down) is written to the database as a lost catalogue
bump (catalogue_changed()): every page and part key then changes when Redis comes back.
"""
from __future__ import annotations

import bisect
import logging
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from oscar.core.loading import get_model

from catalog_ext.cache import catalogue_changed, now_and_after_commit

logger = logging.getLogger(__name__)
PREFIX = "ocop:visitor:"
VERSION_SECONDS = 30 * 24 * 3600  # a version lives this long from its start, then starts again higher: a miss, never a stale hit
OFFERS, ACCOUNTS = "offers", "accounts"


def basket(pk) -> str:
    return f"basket:{pk}"


def user(pk) -> str:
    return f"user:{pk}"


def key(name: str) -> str:
    return PREFIX + name


def read(names, found: dict | None = None) -> dict | None:
    """{name: version} for every name, in one cache round trip (a missing one is started); None
    when the cache cannot say (Redis down): nothing drawn may then be kept or used. `found`: what
    a get_many that asked for these keys (among others) answered, to save the round trip."""
    names = list(dict.fromkeys(names))
    try:
        if found is None:
            found = cache.get_many([key(name) for name in names]) if names else {}
        versions = {}
        for name in names:
            version = found.get(key(name))
            if version is None:
                if cache.add(key(name), time.time_ns(), VERSION_SECONDS) is None:
                    return None  # django-redis ignoring a failure
                version = cache.get(key(name))
                if version is None:
                    return None
            versions[name] = version
        return versions
    except Exception:  # a cache backend that raises when its server is down
        logger.warning("Visitor versions unreadable: cache unavailable", exc_info=True)
        return None


def changed(*names) -> None:
    """Call after writing what a visitor part shows without Model.save()/delete()."""
    now_and_after_commit(_bump, (name for name in names if name), memo="_ocop_visitor_bumps")


def _bump(name: str) -> None:
    try:
        bumped = cache.incr(key(name))
    except ValueError:  # not set yet, or evicted: its next reader starts it above every earlier version
        return  # (see catalog_ext.cache._bump_stock)
    except Exception:  # a cache backend that raises when its server is down
        logger.warning("Visitor version %s not bumped: cache unavailable", name, exc_info=True)
        bumped = None
    if bumped is None:  # Redis down: recorded in the database, so every key changes when it is back
        catalogue_changed()


# ------------------------------------------------------------------------------ offers in time
_bounds: dict = {}  # offers version → sorted start/end instants (epoch seconds), per process


def offer_epoch(offers_version) -> int:
    """How many offer and voucher start/end instants are past: changes when one starts or ends,
    with no write. Read from the database once per offers version and process."""
    bounds = _bounds.get(offers_version)
    if bounds is None:
        bounds = _read_bounds()
        if len(_bounds) > 8:
            _bounds.clear()
        _bounds[offers_version] = bounds
    return bisect.bisect_right(bounds, timezone.now().timestamp())


def _read_bounds() -> list[float]:
    instants = []
    for model in (get_model("offer", "ConditionalOffer"), get_model("voucher", "Voucher")):
        for start, end in model.objects.values_list("start_datetime", "end_datetime"):
            instants.extend(moment.timestamp() for moment in (start, end) if moment is not None)
    return sorted(instants)


# ------------------------------------------------------------------------------ receivers
def _basket_names(basket_id, owner_id) -> list[str]:
    return [basket(basket_id)] + ([user(owner_id)] if owner_id else [])


def _on_basket(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        changed(*_basket_names(instance.pk, instance.owner_id))


def _on_basket_line(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    cached = sender._meta.get_field("basket").get_cached_value(instance, None)
    if cached is not None:
        owner_id = cached.owner_id
    else:
        owner_id = (get_model("basket", "Basket").objects.filter(pk=instance.basket_id)
                    .values_list("owner_id", flat=True).first())
    changed(*_basket_names(instance.basket_id, owner_id))


def _on_basket_vouchers(sender, instance, action, **kwargs):
    if not action.startswith("post_"):
        return
    Basket = get_model("basket", "Basket")
    if isinstance(instance, Basket):
        changed(*_basket_names(instance.pk, instance.owner_id), OFFERS)
    else:  # from the voucher's side
        for pk, owner_id in Basket.objects.filter(pk__in=kwargs.get("pk_set") or ()).values_list("pk", "owner_id"):
            changed(*_basket_names(pk, owner_id))
        changed(OFFERS)


def _on_offers(sender, **kwargs):
    if kwargs.get("raw") or kwargs.get("action", "post_").startswith("pre_"):
        return
    changed(OFFERS)


def _on_user(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        changed(user(instance.pk))


def _on_user_m2m(sender, instance, action, pk_set=None, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):
        changed(user(instance.pk))
    else:  # from the group's or permission's side: every member may have changed
        changed(ACCOUNTS)


def _on_accounts(sender, **kwargs):
    if kwargs.get("raw") or kwargs.get("action", "post_").startswith("pre_"):
        return
    changed(ACCOUNTS)


def _owner_field(field):
    def receiver(sender, instance, **kwargs):
        if not kwargs.get("raw"):
            changed(user(getattr(instance, field)))
    return receiver


def _on_wish_list_line(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    cached = sender._meta.get_field("wishlist").get_cached_value(instance, None)
    owner_id = cached.owner_id if cached is not None else (
        get_model("wishlists", "WishList").objects.filter(pk=instance.wishlist_id)
        .values_list("owner_id", flat=True).first())
    changed(user(owner_id) if owner_id else "")


_on_notification = _owner_field("recipient_id")
_on_wish_list = _owner_field("owner_id")


def _connect(model, receiver, uid):
    post_save.connect(receiver, sender=model, dispatch_uid=f"ocop-visitor-{uid}-save")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"ocop-visitor-{uid}-delete")


def _connect_m2m(model, receiver, uid):
    for field in model._meta.many_to_many:
        m2m_changed.connect(receiver, sender=field.remote_field.through,
                            dispatch_uid=f"ocop-visitor-{uid}-{field.name}")


OFFER_MODELS = (("offer", "ConditionalOffer"), ("offer", "Condition"), ("offer", "Benefit"), ("offer", "Range"),
                ("offer", "RangeProduct"), ("voucher", "Voucher"), ("voucher", "VoucherSet"),
                ("voucher", "VoucherApplication"), ("order", "OrderDiscount"))


def connect_receivers() -> None:
    Basket = get_model("basket", "Basket")
    _connect(Basket, _on_basket, "basket")
    _connect(get_model("basket", "Line"), _on_basket_line, "basket-line")
    m2m_changed.connect(_on_basket_vouchers, sender=Basket.vouchers.through, dispatch_uid="ocop-visitor-vouchers")
    for app_label, name in OFFER_MODELS:
        model = get_model(app_label, name)
        _connect(model, _on_offers, f"offers-{name}")
        _connect_m2m(model, _on_offers, f"offers-{name}")
    User = get_user_model()
    _connect(User, _on_user, "user")
    _connect_m2m(User, _on_user_m2m, "user")
    _connect(Group, _on_accounts, "group")
    _connect_m2m(Group, _on_accounts, "group")
    _connect(Permission, _on_accounts, "permission")
    _connect(get_model("communication", "Notification"), _on_notification, "notification")
    _connect(get_model("wishlists", "WishList"), _on_wish_list, "wish-list")
    _connect(get_model("wishlists", "Line"), _on_wish_list_line, "wish-list-line")

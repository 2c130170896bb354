"""The visitor parts of a cached page (`{% visitor_part %}`): how each is drawn for a visitor, and
when a drawing is kept for that visitor's next hits (issue 21).

A part is drawn from a few facts about the visitor: the header's account links and basket from
their account or basket (and the offers and prices behind its total), the product page's wish
lists from their account, the recently viewed products from their cookie, the messages from the
messages waiting for them. `Part.keep()` names those facts: an *ident* that says which visitor or
cookie it is (no database read: a signed basket cookie, the signed-in user's id, the cookie's
product ids), and the versions that move when what it shows changes (listing.visitor_versions:
the basket, the account, the offers; the catalogue state for prices, badges and whether a product
is sold out, which is all a part shows of stock: catalog_ext.cache). A drawing is kept
under the ident, with the versions it was drawn at, read before drawing; a hit uses it only while
every version is the same, else draws it again. So a basket holder's hit reads no basket, line,
offer or session from the database, and renders no template for their parts.

Kept drawings need the cache every process shares (Redis): with a per-process cache (local
memory) a basket changed through one worker would bump that worker's version only, so a
basket's or customer's parts are drawn on every hit there.

A part whose drawing depends on nothing but the language and the release (an anonymous visitor's
header with no basket, no messages, an anonymous visitor's wish-list button) is kept in this
process too: no cache round trip. What `keep()` answers None for is drawn on every hit: messages
waiting (shown once), a basket cookie that fails its signature, a signed-in shopper who just
signed in with a cookie basket (merged while drawing).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature, Signer
from django.template.loader import render_to_string
from django.utils import translation
from oscar.core.loading import get_class, get_model

from catalog_ext.cache import cache_is_shared

from . import page_tokens, visitor_versions

PART_SECONDS = 3600
_LOCAL_LIMIT = 256


@dataclass(frozen=True)
class Keep:
    """What a drawing of a part depends on: `ident` (which visitor or cookie), the visitor versions
    it was drawn at, and whether prices, stock and badges (the catalogue state) or the offers
    (a basket total) show in it."""

    ident: tuple
    versions: tuple = ()
    catalogue: bool = False
    offers: bool = False

    @property
    def fixed(self) -> bool:
        return not (self.versions or self.catalogue or self.offers)


class Part:
    def draw(self, request, number: str) -> str:
        raise NotImplementedError

    def keep(self, request, number: str) -> Keep | None:
        return None


def _signed_in(request) -> bool:
    return request.user.is_authenticated


def _cookie_basket_id(request):
    """The basket id of the visitor's basket cookie, "" without one, None when the signature fails
    (Oscar then drops the cookie: drawn, never kept)."""
    value = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    if not value:
        return ""
    try:
        return Signer().unsign(value)
    except BadSignature:
        return None


class Tools(Part):
    """The header's account links and basket (ocop/layout/account_basket.html)."""

    def draw(self, request, number):
        return render_to_string("ocop/layout/account_basket.html", request=request)

    def keep(self, request, number):
        basket_id = _cookie_basket_id(request)
        if basket_id is None:
            return None
        if _signed_in(request):
            if basket_id:  # just signed in: Oscar merges the cookie basket while drawing
                return None
            user = request.user
            return Keep(("user", user.pk), (visitor_versions.user(user.pk), visitor_versions.ACCOUNTS),
                        catalogue=True, offers=True)
        if not basket_id:
            return Keep(("anonymous",))
        return Keep(("basket", basket_id), (visitor_versions.basket(basket_id),), catalogue=True, offers=True)


class Messages(Part):
    """Messages waiting for the visitor, shown once: drawn when there are some (reading them
    marks them shown), else the same empty box for everybody."""

    def draw(self, request, number):
        return render_to_string("ocop/layout/messages.html", request=request)

    def keep(self, request, number):
        storage = getattr(request, "_messages", None)
        return Keep(("none",)) if storage is None or not len(storage) else None  # len() reads, does not mark read


class RecentlyViewed(Part):
    """The product page's recently viewed products (Oscar's history cookie)."""

    def draw(self, request, number):
        others = [pk for pk in self._viewed(request) if pk != int(number)]
        if not others:
            return ""  # nothing viewed but this product: the list is empty, no query (Oscar's draws nothing)
        product = get_model("catalogue", "Product")(pk=int(number))  # only its id is compared
        return render_to_string("ocop/layout/recently_viewed.html", {"product": product}, request=request)

    def keep(self, request, number):
        viewed = self._viewed(request)
        if not all(isinstance(pk, int) for pk in viewed):
            return None
        if not [pk for pk in viewed if pk != int(number)]:
            return Keep(("none",))  # the empty list, as every such visitor's
        return Keep(("viewed", tuple(viewed)), catalogue=True)

    @staticmethod
    def _viewed(request):
        return get_class("customer.history", "CustomerHistoryManager").extract(request)


class WishLists(Part):
    """The product page's wish-list buttons (Oscar's add_to_wishlist.html): the customer's lists."""

    def draw(self, request, number):
        product = get_model("catalogue", "Product")(pk=int(number))  # its id is all the template reads
        return render_to_string("oscar/catalogue/partials/add_to_wishlist.html", {"product": product},
                                request=request)

    def keep(self, request, number):
        if _signed_in(request):
            # (and the catalogue state: on SQLite a rolled-back user id is given again, with no delete
            # to bump its version; the test suite does that between tests)
            return Keep(("user", request.user.pk), (visitor_versions.user(request.user.pk),), catalogue=True)
        return Keep(("anonymous",))


# The visitor parts a cached page may hold ({% visitor_part %}), and how each is drawn for a visitor.
PARTS = {"tools": Tools(), "messages": Messages(), "recently_viewed": RecentlyViewed(), "wishlist": WishLists()}
# Parts only the page's own render can draw (they need the view's context), the same for every
# anonymous visitor: what an anonymous render drew is kept with the page and served to anonymous
# visitors; a signed-in visitor gets the page rendered for them. The product page's stock alert
# form (Oscar's: an e-mail field for anonymous visitors; "you have an alert" for a customer who set one).
PAGE_BOUND = frozenset({"stock_alert"})

_local: dict[str, tuple] = {}  # fixed drawings of this process: key → (csrf mark, nonce mark, html)


def _key(name, number, keep: Keep, release: str) -> str:
    facts = (name, number, keep.ident, translation.get_language(), settings.SITE_ID, release)
    return "ocop:part:" + hashlib.sha1(repr(facts).encode()).hexdigest()


@dataclass
class Plan:
    """The parts of one page for this visitor: for each, its number, Part, Keep and key (None for
    a page-bound part, which the page brings), and the cache keys a hit reads: the kept drawings not
    already in this process, and the versions they were drawn at."""

    parts: tuple
    steps: list
    keys: list


def plan(request, parts, release) -> Plan:
    steps = []
    for name, number in parts:
        if name in PAGE_BOUND:
            steps.append((number, None, None, None))
            continue
        part = PARTS.get(name)
        if part is None:
            raise KeyError(name)
        keep = _keepable(part.keep(request, number))
        steps.append((number, part, keep, _key(name, number, keep, release) if keep is not None else None))
    kept = [keep for _number, _part, keep, _key in steps if keep is not None]
    names = {name for keep in kept for name in keep.versions}
    if any(keep.offers for keep in kept):
        names.add(visitor_versions.OFFERS)
    wanted = [key for *_, keep, key in steps if keep is not None and not (keep.fixed and key in _local)]
    return Plan(tuple(parts), steps, wanted + [visitor_versions.key(name) for name in sorted(names)])


def draw_all(request, plan: Plan, catalogue_state, given=None, found=None) -> list[str]:
    """Each part of `plan` for this visitor, in order: kept drawings where their versions still
    hold, the rest drawn now and kept for the next hit when they may be. `given`: {index: content}
    of the page-bound parts; `found`: what a get_many of (at least) `plan.keys` answered, when the
    caller read them with the page (else they are read here, in one round trip)."""
    if found is None:
        found = cache.get_many(plan.keys) if plan.keys else {}
    names = {key.removeprefix(visitor_versions.PREFIX) for key in plan.keys
             if key.startswith(visitor_versions.PREFIX)}
    versions = visitor_versions.read(names, found) if names else {}

    drawn, keeping = [], {}
    for index, (number, part, keep, key) in enumerate(plan.steps):
        if part is None:
            drawn.append(given[index])
            continue
        # Asked again: drawing an earlier part may have changed it (a basket merged while drawing
        # the header queues a message).
        if keep is None or versions is None or _keepable(part.keep(request, number)) != keep:
            drawn.append(part.draw(request, number))
            continue
        if keep.fixed:
            stored = _local.get(key) or _unpack(found.get(key), ())
            if stored is not None:
                _local.setdefault(key, stored)
                drawn.append(page_tokens.fill(request, stored[2], stored[0], stored[1]))
                continue
        held = _held(keep, versions, catalogue_state)
        stored = _unpack(found.get(key), held)
        if stored is not None:
            drawn.append(page_tokens.fill(request, stored[2], stored[0], stored[1]))
            continue
        html = part.draw(request, number)
        drawn.append(html)
        marks = page_tokens.Marks(request)
        entry = (held, marks.csrf, marks.nonce, marks.mark(html))
        keeping[key] = entry
        if keep.fixed:
            if len(_local) >= _LOCAL_LIMIT:
                _local.clear()
            _local[key] = entry[1:]
    if keeping:
        cache.set_many(keeping, PART_SECONDS)
    return drawn


def _keepable(keep: Keep | None) -> Keep | None:
    """None for a drawing kept under visitor versions while the cache is per process (local
    memory, no Redis): a basket changed through another worker bumps that worker's version only.
    (The catalogue state is safe there: its fingerprint reads the database.)"""
    if keep is not None and keep.versions and not cache_is_shared():
        return None
    return keep


def _held(keep: Keep, versions: dict, catalogue_state) -> tuple:
    held = tuple(versions[name] for name in keep.versions)
    if keep.catalogue:
        held += (catalogue_state,)
    if keep.offers:
        offers = versions[visitor_versions.OFFERS]
        held += (offers, visitor_versions.offer_epoch(offers))
    return held


def _unpack(entry, held):
    """(csrf mark, nonce mark, html) of a kept drawing drawn at the versions `held`, else None."""
    if isinstance(entry, tuple) and len(entry) == 4 and entry[0] == held:
        return entry[1:]
    return None

"""Whole catalogue pages (listing, category, search, product), rendered once and served to every
visitor, with a session, a basket or an account or without (issue 21), each with their own parts.

Visitor parts: what a visitor's cookies change on a catalogue page is framed in the templates by
`{% visitor_part %}` (listing/templatetags/visitor_parts.py): the header's account links and
basket, the messages, the product page's recently viewed products and wish-list buttons. The
stored copy holds a random marker in their place; every hit puts in its visitor's own
(listing.page_parts: drawn, or kept from the visitor's earlier hit while its basket, account,
offers and the catalogue are unchanged), except a cookieless anonymous visitor, who gets the parts
a cookieless render stored beside the page. Staff (edit links) get their own page, never stored,
and so do signed-in visitors on a page that says `signed_in=False`.

Staleness: the key holds the full URL, the language, today's date (a certificate expiring
tonight drops its badge at midnight, Asia/Ho_Chi_Minh), the catalogue version and the database
fingerprint (catalog_ext.cache), so any change to a price, stock level, certificate, licence or
product gives a new key; old pages simply age out. Stock is finer (catalog_ext.cache): a listing
shows only whether each product is sold out, so its key holds the catalogue version, which a stock
movement bumps only when it sells a product out or brings it back; the product page shows counts
("In stock (N available)", the shelves), so its key also holds its product's stock version
(`serve(stock_of=...)`), read in the same round trip as the catalogue version. An order for a
product that stays in stock then retires that product's page alone. Keys also carry a token of this process's
start, so a deploy with new templates or code never serves a page rendered by the old release.

Per-visitor tokens: the CSRF token in the page's forms and the Content Security Policy nonce of
its inline scripts are random markers in the cached copy, new for each stored page, and this
visitor's own token and this response's nonce on every hit (listing.page_tokens says how and why).
Pages go out `Cache-Control: private` with `Vary: Cookie, Accept-Language`: they hold a CSRF
token, so no shared cache may keep them.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from catalog_ext import rules
from catalog_ext.cache import catalogue_fingerprint, read_versions

from . import page_parts, page_tokens

PAGE_SECONDS = 3600
_BOOT = uuid.uuid4().hex  # new per process: pages of a previous release are never served


def cacheable_request(request, *, signed_in: bool = True, **_ignored) -> bool:
    """May this visitor get the page every visitor gets, with their own parts put in?

    Everything a visitor's cookies change on a catalogue page is a visitor part (header account
    links and basket, messages, recently viewed products) or in the key (the language), so a
    session, a basket or a signed-in account no longer keeps a shopper from the shared page. Staff
    are left out (their pages carry edit links), and so are signed-in visitors on pages that show
    more of the account than the parts do (`signed_in=False`: the product page's wish lists)."""
    if request.method != "GET":
        return False
    user = request.user
    if user.is_authenticated:
        return signed_in and not user.is_staff
    return True


def page_key(request, extra=(), stock_of=None) -> str | None:
    """None when the catalogue version cannot be read (Redis down): the page is rendered for this
    visitor and neither read from nor stored in the cache. `stock_of`: the product whose stock
    counts the page shows (the product page's own)."""
    state = catalogue_state(request, stock_of=stock_of)
    if state is None:
        return None
    stock = None
    if stock_of is not None:
        read = getattr(request, "_ocop_stock_version", None)
        if read is None or read[0] != stock_of:  # the state was read without this product's version
            return None
        stock = read[1]
    facts = (request.scheme, request.get_host(), request.get_full_path(), translation.get_language(),
             *state, tuple(extra), stock_of, stock)
    return "ocop:page:" + hashlib.sha1(repr(facts).encode()).hexdigest()


def catalogue_state(request=None, *, stock_of=None) -> tuple | None:
    """One state of the catalogue: today, the catalogue version and fingerprint, this release; None
    when the version cannot be read. Read once per request (the fingerprint is a scan of the
    catalogue without Redis) and shared by the page key, the facet counts' key and the kept visitor
    parts. With `stock_of` (a product id, at the first read of the request) that product's stock
    version is read in the same round trip and kept as `request._ocop_stock_version`: it is not part
    of the state, so the parts kept at this state serve the listing and the product page alike."""
    memo = getattr(request, "_ocop_catalogue_state", False) if request is not None else False
    if memo is not False:
        return memo
    # The versions are read before the fingerprint and both before rendering: a page rendered from
    # data older than a commit can only be stored under a key no later request builds.
    versions = read_versions(stock_of)
    state = None if versions is None else (rules.today().isoformat(), versions[0], catalogue_fingerprint(), _BOOT)
    if request is not None:
        request._ocop_catalogue_state = state
        request._ocop_stock_version = None if versions is None else (stock_of, versions[1])
    return state


def _private(response):
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def _storable(request, response, sets_cookies) -> bool:
    """Nothing happened during the request that makes the page, less its visitor parts, this
    visitor's own."""
    if response.status_code != 200 or response.streaming:
        return False
    if any(name not in sets_cookies for name in response.cookies):
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


_PART_HEAD = re.compile("([a-z_]+):([0-9]*)-->")


def _frames(token: str, html: str):
    """(start, end, name, number, content) of each part framed with `token`, in page order: what
    the pattern `<!--ocop-part:TOKEN:([a-z_]+):([0-9]*)-->(.*?)<!--/ocop-part:TOKEN-->` (re.S)
    finds, found with str.find (that pattern, new with every token, was compiled for every page
    stored: ~0.5 ms, issue 21)."""
    opening, closing = f"<!--ocop-part:{token}:", f"<!--/ocop-part:{token}-->"
    at = 0
    while (start := html.find(opening, at)) >= 0:
        head = _PART_HEAD.match(html, start + len(opening))
        if head is None:
            at = start + 1
            continue
        end = html.find(closing, head.end())
        if end < 0:
            return  # no frame closes after this one: none after it either
        yield start, end + len(closing), head.group(1), head.group(2), html[head.end():end]
        at = end + len(closing)


def _unframe(token: str, html: str) -> str:
    """The page as this visitor sees it: the parts' frames gone, their content left."""
    out, at = [], 0
    for start, end, _name, _number, content in _frames(token, html):
        out += (html[at:start], content)
        at = end
    return "".join(out) + html[at:] if out else html


def _cut_parts(token: str, html: str) -> tuple[str, str, tuple, tuple]:
    """The page with each visitor part replaced by a random marker, the marker, the parts
    (name, number) in page order, and what each part held for this visitor: the page stored
    holds none of this visitor's own."""
    mark = f"ocop-part-{secrets.token_hex(16)}"
    parts, contents, out, at = [], [], [], 0
    for start, end, name, number, content in _frames(token, html):
        out += (html[at:start], f"<!--{mark}:{len(parts)}-->")
        parts.append((name, number))
        contents.append(content)
        at = end
    out.append(html[at:])
    return "".join(out), mark, tuple(parts), tuple(contents)


def _blank_visitor(request) -> bool:
    """Anonymous, and no cookie but the CSRF and language ones: no session, basket, messages or
    recently viewed products, so the parts are those of every such visitor."""
    if request.user.is_authenticated:
        return False
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return all(name in harmless for name in request.COOKIES)


_parts_seen: dict[str, tuple] = {}  # full path → the parts of its page, as this process last served it
_PARTS_SEEN_LIMIT = 10000


def _remember_parts(request, parts: tuple) -> None:
    if len(_parts_seen) >= _PARTS_SEEN_LIMIT:
        _parts_seen.clear()
    _parts_seen[request.get_full_path()] = _parts_seen[request.path] = parts


_PART_MARK = re.compile("<!--(ocop-part-[0-9a-f]+):([0-9]+)-->")


def _put_parts(html: str, mark: str, contents: tuple) -> str:
    """The stored page's part markers (`mark`, its own) replaced by `contents` (a pattern compiled
    once: one holding each page's mark was compiled for every hit of a page not in re's cache)."""
    def put(match):
        if match.group(1) != mark:
            return match.group(0)
        index = int(match.group(2))
        return contents[index] if index < len(contents) else ""

    return _PART_MARK.sub(put, html)


def serve(request, render, *, extra_key=(), signed_in=True, sets_cookies=(), on_hit=None, stock_of=None,
          read_with_page=None, **_ignored):
    """The cached page for this request when it may have one, with this visitor's parts, CSRF
    token and nonce put in; else `render()` (stored, less its visitor parts, for the next visitor
    when it may be).

    signed_in: may signed-in visitors share it (False when the page shows more of the account than
    its visitor parts); sets_cookies: cookies the view sets without changing the page;
    on_hit(request, response): what the view does besides rendering (e.g. the product page's
    recently-viewed cookie); stock_of: the id of the product whose stock counts the page shows (the
    product page: its key then holds that product's stock version); read_with_page(request): the
    cache keys the view reads when it renders (a search's facet combinations and synonyms), read
    in the round trip of the page's key when that is a get_many already (a visitor with cookies),
    for the view to take from `found_with_page()`."""
    if not (settings.OCOP_PAGE_CACHE and cacheable_request(request, signed_in=signed_in)):
        return _private(render())
    key = page_key(request, extra_key, stock_of)
    if key is None:
        return _private(render())
    # A visitor with cookies reads the page, their kept parts and the versions those were drawn at
    # in one round trip, when this process has served the page before (its parts are known).
    blank = _blank_visitor(request)
    # The parts of the page at this full path, else (a page no one asked for yet: a new search) of
    # the last page served at this path: a miss then draws its parts from what this read answered.
    guessed = None if blank else (_parts_seen.get(request.get_full_path()) or _parts_seen.get(request.path))
    plan = page_parts.plan(request, guessed, _BOOT) if guessed is not None else None
    # A cookieless visitor's read stays one GET (their hit is the fastest page there is).
    also = list(read_with_page(request)) if plan is not None and read_with_page is not None else []
    found = cache.get_many([key, *plan.keys, *also]) if plan is not None else {key: cache.get(key)}
    if plan is not None:
        request._ocop_found = (frozenset(plan.keys), found)
        request._ocop_plan = plan  # a miss whose layout holds these parts draws them from it (page_layout)
        request._ocop_found_with_page = (frozenset(also), found)
    cached = found.get(key)
    if isinstance(cached, tuple) and len(cached) == 8:
        content_type, html, csrf_mark, nonce_mark, part_mark, parts, blank_parts, bound_parts = cached
        if not (bound_parts and request.user.is_authenticated):  # else: rendered for them, below
            html = page_tokens.fill(request, html, csrf_mark, nonce_mark)
            if blank_parts is not None and blank:
                # the parts every cookieless visitor sees, as stored (token and nonce still marked)
                contents = [page_tokens.fill(request, part, csrf_mark, nonce_mark) for part in blank_parts]
            else:
                given = {index: page_tokens.fill(request, part, csrf_mark, nonce_mark)
                         for index, part in bound_parts.items()}
                if plan is None or plan.parts != parts:
                    plan, found = page_parts.plan(request, parts, _BOOT), None
                    _remember_parts(request, parts)
                contents = page_parts.draw_all(request, plan, catalogue_state(request), given, found)
            response = HttpResponse(_put_parts(html, part_mark, contents), content_type=content_type)
            if on_hit is not None:
                on_hit(request, response)
            return _private(response)

    token = request._ocop_part_token = secrets.token_hex(16)  # frames the visitor parts of this render
    later = request._ocop_keep_with_page = {}  # keep_with_page(): stored with the page, one round trip
    try:
        response = render()
    except BaseException:
        del request._ocop_part_token  # the error page is drawn without frames
        del request._ocop_keep_with_page
        raise

    def store(rendered):
        request.__dict__.pop("_ocop_keep_with_page", None)  # what the render kept is in `later`
        html = rendered.content.decode(rendered.charset) if not rendered.streaming else None
        if html is not None and _storable(request, rendered, sets_cookies):
            page, part_mark, parts, contents = _cut_parts(token, html)
            _remember_parts(request, parts)
            bound = [index for index, (name, _number) in enumerate(parts) if name in page_parts.PAGE_BOUND]
            # A page-bound part drawn for a customer is theirs, and only a render draws it: not stored.
            if not (bound and request.user.is_authenticated):
                later[key] = _entry(rendered["Content-Type"], request, page, part_mark, parts, contents, bound)
        if len(later) == 1:
            cache.set(*later.popitem(), PAGE_SECONDS)
        elif later:
            cache.set_many(later, PAGE_SECONDS)  # one pipeline: the page and what its render kept
        if html is not None:
            rendered.content = _unframe(token, html)

    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(store)
    else:
        store(response)  # a streaming response is not stored; what its render kept is
    return _private(response)


def found_with_page(request, keys) -> dict | None:
    """What serve() read of `keys` with the page's key (serve(read_with_page=...)): a dict holding
    each key it found (get_many's answer), or None when it did not ask for every one of them."""
    asked, found = getattr(request, "_ocop_found_with_page", (frozenset(), None))
    return found if found is not None and asked.issuperset(keys) else None


def keep_with_page(request):
    """store(key, value, seconds) for what a page's render works out and keeps in the cache (a
    search's facet combinations): while serve() renders this page to store it, kept with the page
    in one round trip after the render (stored even when the page is not), else set at once."""
    def store(key, value, seconds):
        later = getattr(request, "_ocop_keep_with_page", None)
        if later is None or seconds != PAGE_SECONDS:
            cache.set(key, value, seconds)
        else:
            later[key] = value
    return store


def _entry(content_type, request, page, part_mark, parts, contents, bound) -> tuple:
    """What the cache keeps of a page: the page and its parts with their tokens marked."""
    marks = page_tokens.Marks(request)  # new for every stored page: unguessable
    # A cookieless anonymous visitor's parts are every such visitor's: kept, so their hits draw
    # nothing (as fast as before the parts existed).
    blank_parts = tuple(marks.mark(c) for c in contents) if _blank_visitor(request) else None
    bound_parts = {index: marks.mark(contents[index]) for index in bound}
    return (content_type, marks.mark(page), marks.csrf, marks.nonce, part_mark, parts, blank_parts, bound_parts)


class CachedPageMixin:
    """For catalogue views: serve() around dispatch. Override `page_cache_options()` to pass
    serve() its cookie lists or a hit hook."""

    def page_cache_options(self, request, *args, **kwargs) -> dict:
        return {}

    # Read-only pages: no transaction, so a cache hit costs one SELECT (no BEGIN IMMEDIATE taking
    # SQLite's write lock) and a miss reads as it would inside ATOMIC_REQUESTS on PostgreSQL.
    @transaction.non_atomic_requests
    def dispatch(self, request, *args, **kwargs):
        return serve(request, lambda: super(CachedPageMixin, self).dispatch(request, *args, **kwargs),
                     **self.page_cache_options(request, *args, **kwargs))

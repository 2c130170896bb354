"""Whole catalogue pages (listing, category, search, product), rendered once for every visitor
who would see exactly the same page: anonymous, no basket, no messages, no session.

Staleness: the key holds the full URL, the language, today's date (a certificate expiring
tonight drops its badge at midnight, Asia/Ho_Chi_Minh), the catalogue version and the database
fingerprint (catalog_ext.cache), so any change to a price, stock level, certificate, licence or
product gives a new key; old pages simply age out. Keys also carry a token of this process's
start, so a deploy with new templates or code never serves a page rendered by the old release.

Per-visitor parts: the header of such a visitor is the anonymous, empty-basket one for all of
them; the CSRF token in the page's forms is replaced by a marker in the cached copy and by this
visitor's own token (get_token, which also sets the CSRF cookie as Django would) on every hit.
The Content Security Policy nonce of the inline scripts is handled the same way: the cached copy
holds a marker, each hit gets this response's own nonce (request.csp_nonce, which django-csp then
puts in this response's header), so no two responses share a nonce.

The markers are random for each stored page and kept beside it, never a fixed text, and they are
put and filled in only where the template put the token (the csrfmiddlewaretoken input's value)
and the nonce (the nonce attribute of a <script>, <style> or <link> tag), never elsewhere in the
page: issue 20 found a producer's description holding `<script nonce="<the fixed marker>">`, which
every cache hit handed this response's nonce, so it ran for every anonymous visitor.
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
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from catalog_ext import rules
from catalog_ext.cache import catalogue_fingerprint, catalogue_version

PAGE_SECONDS = 3600
_CSRF_INPUT = '(<input\\b[^>]*\\bname="csrfmiddlewaretoken" value=")({})(")'
_NONCE_ATTRIBUTE = '(<(?:script|style|link)\\b[^>]*?\\snonce=")({})(")'
_BOOT = uuid.uuid4().hex  # new per process: pages of a previous release are never served


def _harmless_cookies() -> set[str]:
    """Cookies that change nothing on a catalogue page: the CSRF cookie (its token is put in per
    visitor) and the language cookie (the language is in the key)."""
    return {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def cacheable_request(request, *, harmless_cookies=()) -> bool:
    """Would this visitor see the page every anonymous visitor with an empty basket sees?

    Any other cookie (session, basket, messages, recently viewed, ...) may change the page, so
    its holder gets it rendered for them."""
    if request.method != "GET":
        return False
    allowed = _harmless_cookies() | set(harmless_cookies)
    if any(name not in allowed for name in request.COOKIES):
        return False
    return not request.user.is_authenticated


def page_key(request, extra=()) -> str | None:
    """None when the catalogue version cannot be read (Redis down): the page is rendered for this
    visitor and neither read from nor stored in the cache."""
    state = catalogue_state(request)
    if state is None:
        return None
    facts = (request.scheme, request.get_host(), request.get_full_path(), translation.get_language(),
             *state, tuple(extra))
    return "ocop:page:" + hashlib.sha1(repr(facts).encode()).hexdigest()


def catalogue_state(request=None) -> tuple | None:
    """One state of the catalogue: today, the catalogue version and fingerprint, this release; None
    when the version cannot be read. Read once per request (the fingerprint is a scan of the
    catalogue without Redis) and shared by the page key and the facet counts' key."""
    memo = getattr(request, "_ocop_catalogue_state", False) if request is not None else False
    if memo is not False:
        return memo
    # The version is read before the fingerprint and both before rendering: a page rendered from
    # data older than a commit can only be stored under a key no later request builds.
    version = catalogue_version()
    state = None if version is None else (rules.today().isoformat(), version, catalogue_fingerprint(), _BOOT)
    if request is not None:
        request._ocop_catalogue_state = state
    return state


def _nonce(request) -> str:
    nonce = getattr(request, "csp_nonce", None)  # absent only without CSPMiddleware
    return str(nonce) if nonce is not None else ""


def _fill(pattern: str, old: str, new: str, html: str) -> str:
    """`html` with the regex `old` replaced by `new`, only in the places `pattern` names."""
    return re.sub(pattern.format(old), lambda m: m.group(1) + new + m.group(3), html)


def _private(response):
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def _storable(request, response, sets_cookies) -> bool:
    """Nothing happened during the request that makes the page this visitor's own."""
    if response.status_code != 200 or response.streaming:
        return False
    if any(name not in sets_cookies for name in response.cookies):
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def serve(request, render, *, extra_key=(), harmless_cookies=(), sets_cookies=(), on_hit=None):
    """The cached page for this request when it may have one, else `render()` (stored for the next
    visitor when it may be).

    harmless_cookies: request cookies this page does not depend on; sets_cookies: cookies the view
    sets without changing the page; on_hit(request, response): what the view does besides
    rendering (e.g. the product page's recently-viewed cookie)."""
    if not (settings.OCOP_PAGE_CACHE and cacheable_request(request, harmless_cookies=harmless_cookies)):
        return _private(render())
    key = page_key(request, extra_key)
    if key is None:
        return _private(render())
    cached = cache.get(key)
    if isinstance(cached, tuple) and len(cached) == 4:
        content_type, html, csrf_mark, nonce_mark = cached
        html = _fill(_CSRF_INPUT, re.escape(csrf_mark), get_token(request), html)
        if nonce_mark:
            html = _fill(_NONCE_ATTRIBUTE, re.escape(nonce_mark), _nonce(request), html)
        response = HttpResponse(html, content_type=content_type)
        if on_hit is not None:
            on_hit(request, response)
        return _private(response)

    response = render()

    def store(rendered):
        if _storable(request, rendered, sets_cookies):
            html = rendered.content.decode(rendered.charset)
            csrf_mark = f"ocop-csrf-{secrets.token_hex(16)}"  # new for every stored page: unguessable
            html = _fill(_CSRF_INPUT, r'[^"]*', csrf_mark, html)
            used_nonce = getattr(request, "_csp_nonce", None)  # set only if the page read request.csp_nonce
            nonce_mark = ""
            if used_nonce:
                nonce_mark = f"ocop-nonce-{secrets.token_hex(16)}"
                html = _fill(_NONCE_ATTRIBUTE, re.escape(used_nonce), nonce_mark, html)
            cache.set(key, (rendered["Content-Type"], html, csrf_mark, nonce_mark), PAGE_SECONDS)

    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(store)
    elif response.status_code == 200:
        store(response)
    return _private(response)


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

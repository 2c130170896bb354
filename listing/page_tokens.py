"""The per-response tokens of a cached page or visitor part: the CSRF token in its forms and the CSP
nonce of its inline scripts (listing.page_cache, listing.page_parts).

A stored copy holds random markers in their place, new for every stored copy and kept beside it,
never a fixed text, and they are put and filled in only where the template put the token (the
csrfmiddlewaretoken input's value) and the nonce (the nonce attribute of a <script>, <style> or
<link> tag), never elsewhere: issue 20 found a producer's description holding
`<script nonce="<the fixed marker>">`, which every cache hit handed this response's nonce, so it
ran for every anonymous visitor. Each hit fills in this visitor's own token (get_token, which
also sets the CSRF cookie as Django would) and this response's nonce (request.csp_nonce, which
django-csp then puts in this response's header), so no two responses share a nonce.
"""
from __future__ import annotations

import re
import secrets

from django.middleware.csrf import get_token

_CSRF_INPUT = re.compile('(<input\\b[^>]*\\bname="csrfmiddlewaretoken" value=")([^"]*)(")')
_NONCE_ATTRIBUTE = re.compile('(<(?:script|style|link)\\b[^>]*?\\snonce=")([^"]*)(")')


def _replace(pattern: re.Pattern, old: str | None, new: str, html: str) -> str:
    """`html` with the value `old` (any value: None) replaced by `new`, only in the places `pattern`
    names. The patterns are compiled once (a pattern holding each page's marker was compiled anew
    for every stored page and hit: ~0.5 ms each, issue 21); a place whose value is another is left
    as it is."""
    if old is None:
        return pattern.sub(lambda m: m.group(1) + new + m.group(3), html)
    return pattern.sub(lambda m: m.group(1) + new + m.group(3) if m.group(2) == old else m.group(0), html)


class Marks:
    """The markers of one stored copy: a CSRF marker, and a nonce marker when the copy was drawn
    with this request's nonce (django-csp sets `_csp_nonce` only once a template read it)."""

    def __init__(self, request):
        self.csrf = f"ocop-csrf-{secrets.token_hex(16)}"
        self.used_nonce = getattr(request, "_csp_nonce", None)
        self.nonce = f"ocop-nonce-{secrets.token_hex(16)}" if self.used_nonce else ""

    def mark(self, text: str) -> str:
        text = _replace(_CSRF_INPUT, None, self.csrf, text)
        return _replace(_NONCE_ATTRIBUTE, self.used_nonce, self.nonce, text) if self.used_nonce else text


def fill(request, text: str, csrf_mark: str, nonce_mark: str) -> str:
    """A stored copy with this request's CSRF token and nonce in place of its markers."""
    if csrf_mark in text:
        text = _replace(_CSRF_INPUT, csrf_mark, get_token(request), text)
    if nonce_mark and nonce_mark in text:
        text = _replace(_NONCE_ATTRIBUTE, nonce_mark, _nonce(request), text)
    return text


def _nonce(request) -> str:
    nonce = getattr(request, "csp_nonce", None)  # absent only without CSPMiddleware
    return str(nonce) if nonce is not None else ""

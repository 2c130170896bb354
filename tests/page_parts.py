"""A page as two drawings of it must agree: without what differs from one response to the next.

Tests that compare a page drawn two ways (a fast path against the path it replaced, a cached page
against a fresh one) compare `comparable(html)`. The per-response parts are the CSRF token's value,
the CSP nonce (tests/shop/test_csp.py) and the base template's `<meta name="created">`, which
prints the minute: two drawings either side of a minute's turn differed there (a test flaked)."""
import re

VOLATILE = [(re.compile(pattern), mark) for pattern, mark in (
    (r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="…"'),
    (r'nonce="[^"]+"', 'nonce="…"'),
    (r'<meta name="created" content="[^"]+"', '<meta name="created" content="…"'),
)]


def comparable(html: str) -> str:
    for pattern, mark in VOLATILE:
        html = pattern.sub(mark, html)
    return html

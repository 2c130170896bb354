"""The XSS corpus (tests/data/xss_corpus.txt) stays inert in a real browser on the product page,
rendered for the visitor and served from the page cache (issue 20: a description's
`<script nonce="<the cache's marker>">` ran for every anonymous visitor served from the cache, and a
`<meta http-equiv=refresh>` sent shoppers to another site).

The payloads are written straight into the server's database, around Model.save() (as an import or
a row from before the fix would be), so what is proved is the page's own sanitising and the cache's
nonce handling. Chromium watches for a dialog (alert/confirm/prompt), a navigation away from the
page, `window.__pwned` and any event-handler attribute or javascript: link in the description.
"""
from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.conftest import SERVER_DIRS, start_shop_server
from tests.xss import corpus

pytestmark = pytest.mark.browser
PER_PRODUCT = 20  # payloads in one description: a page visit costs 1-2 s in the browser


@pytest.fixture(scope="module")
def cached_shop_server(demo_shop_files):
    """A second server with the whole-page cache on, as in production (the suite's is off)."""
    yield from start_shop_server(demo_shop_files, OCOP_PAGE_CACHE="1")


def _plant_corpus(base: str) -> list[str]:
    """Spread the corpus over the demo's products; returns the product page paths."""
    payloads = corpus()
    chunks = [payloads[i:i + PER_PRODUCT] for i in range(0, len(payloads), PER_PRODUCT)]
    with sqlite3.connect(SERVER_DIRS[base] / "e2e.sqlite3") as db:
        products = db.execute("SELECT id, slug FROM catalogue_product WHERE is_public AND structure != 'parent' "
                              "ORDER BY id LIMIT ?", (len(chunks),)).fetchall()
        assert len(products) == len(chunks)
        for (pk, _slug), chunk in zip(products, chunks, strict=True):
            db.execute("UPDATE catalogue_product SET description = ? WHERE id = ?",
                       ("<p>Sản phẩm OCOP</p>" + "".join(f"<div>{p}</div>" for p in chunk), pk))
    return [f"/catalogue/{slug}_{pk}/" for pk, slug in products]


def _visit_inert(new_page, path: str, how: str) -> list[str]:
    page = new_page()
    problems: list[str] = []
    page.on("dialog", lambda dialog: (problems.append(f"{how} {path}: a {dialog.type} opened"), dialog.dismiss()))
    response = page.goto(path, wait_until="load")
    assert response is not None and response.status == 200, (how, path)
    page.on("framenavigated", lambda frame: frame == page.main_frame and problems.append(
        f"{how} {path}: navigated to {frame.url}"))
    page.hover(".product-description")
    page.wait_for_timeout(300)  # a refresh of 0 s or a late handler would have fired by now
    if page.url.split("#")[0] != response.url:
        problems.append(f"{how} {path}: now at {page.url}")
    else:
        if page.evaluate("() => window.__pwned === 1"):
            problems.append(f"{how} {path}: a payload's script ran")
        live = page.evaluate("""() => [...document.querySelectorAll('.product-description *')].flatMap(el =>
            [...el.attributes].filter(a => /^on/i.test(a.name) || /^\\s*(javascript|vbscript|data):/i.test(a.value))
            .map(a => el.tagName + ' ' + a.name))""")
        problems += [f"{how} {path}: live attribute {a}" for a in live]
    return problems


def test_the_xss_corpus_is_inert_on_the_uncached_product_page(new_page, shop_server):
    problems = []
    for path in _plant_corpus(shop_server):
        problems += _visit_inert(new_page, path, "rendered")
    assert problems == []


def test_the_xss_corpus_is_inert_on_the_cached_product_page(chromium, cached_shop_server):
    paths = _plant_corpus(cached_shop_server)

    contexts = []

    def new_page():  # a fresh visitor each time: no cookie, so the page cache may serve them
        contexts.append(chromium.new_context(base_url=cached_shop_server, locale="vi-VN"))
        return contexts[-1].new_page()

    problems = []
    try:
        for path in paths:
            problems += _visit_inert(new_page, path, "first visitor")  # rendered and stored
            problems += _visit_inert(new_page, path, "cached")  # a new visitor: served from the cache
    finally:
        for context in contexts:
            context.close()
    assert problems == []

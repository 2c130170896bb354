"""The page cache hands each hit its own nonce only in the tags the template emitted, and a
product description holding the XSS corpus carries no live markup, rendered or served from the
cache (issue 20: a description with `<script nonce="<the cache's marker>">` ran for every
anonymous visitor served from the cache)."""
from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from oscar.core.loading import get_model

from catalog_ext.cache import VERSION_KEY, catalogue_changed
from listing import page_cache
from tests.catalog_ext.storefront.helpers import product
from tests.xss import corpus, live_markup

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")

NONCE_IN_HEADER = re.compile(r"script-src 'self' 'nonce-([^']+)'")
DESCRIPTION = re.compile(r'<div class="product-description">(.*?)</div>', re.S)
OLD_FIXED_MARKERS = ("__OCOP_PAGE_CSP_NONCE__", "__OCOP_PAGE_CSRF__")


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.OCOP_PAGE_CACHE = True
    cache.delete(VERSION_KEY)


def _served(request, content: str):
    """A page as a template would draw it: its own inline script with the nonce, a form with the
    CSRF token, and `content` (page text the cache must leave as it is)."""
    def render():
        return HttpResponse(f'<html><head><script nonce="{request.csp_nonce}">ok()</script></head><body>'
                            f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t0ken">'
                            f'</form><main>{content}</main></body></html>')
    return page_cache.serve(request, render)


def _anonymous_get(path="/catalogue/xss-probe/"):
    from csp.middleware import CSPMiddleware
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    CSPMiddleware(lambda r: HttpResponse()).process_request(request)
    return request


@pytest.mark.parametrize("marker", OLD_FIXED_MARKERS)
def test_page_text_that_looks_like_a_marker_never_gets_the_nonce_or_the_token(marker):
    content = f'<script nonce="{marker}">window.__pwned=1</script><p>{marker}</p>'
    for visit in ("miss", "hit"):
        request = _anonymous_get()
        response = _served(request, content)
        html = response.content.decode()
        nonce = str(request.csp_nonce)
        assert html.count(f'nonce="{nonce}"') == 1, visit  # the template's own script only
        assert f"<main>{content}</main>" in html, visit  # the page's text is left exactly as it was
        assert 'name="csrfmiddlewaretoken" value="' in html and "ocop-csrf-" not in html


def test_the_markers_of_a_cached_page_are_random_per_page():
    _served(_anonymous_get("/catalogue/a/"), "a")
    _served(_anonymous_get("/catalogue/b/"), "b")
    stored = [cache.get(page_cache.page_key(_anonymous_get(p))) for p in ("/catalogue/a/", "/catalogue/b/")]
    marks = {m for entry in stored for m in entry[2:4]}
    assert len(marks) == 4 and all(re.fullmatch(r"ocop-(csrf|nonce)-[0-9a-f]{32}", m) for m in marks)


@pytest.mark.parametrize("payload", corpus())
def test_a_description_with_an_xss_payload_is_inert_rendered_and_from_the_cache(payload):
    tea = product("CF-001")
    # Written around Model.save() (as an import or an old row would be): the page must still be safe.
    if connection.vendor == "postgresql":
        payload = payload.replace("\x00", "")  # PostgreSQL text holds no NUL: such a row cannot exist there
    Product.objects.filter(pk=tea.pk).update(description=f"<p>Trà ngon</p>{payload}")
    catalogue_changed()
    nonces = []
    for visit in ("rendered", "from the cache"):
        response = Client().get(tea.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        description = DESCRIPTION.search(html)
        assert description, visit
        assert live_markup(description.group(1)) == [], (visit, description.group(1))
        nonce = NONCE_IN_HEADER.search(response["Content-Security-Policy"]).group(1)
        nonces.append(nonce)
        assert nonce not in description.group(1)
        assert not re.search(r"<meta[^>]+http-equiv=\W?(refresh|set-cookie)", html, re.I), visit
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert not any("__pwned" in body for attrs, body in scripts if "ld+json" not in attrs), visit
        for attrs, body in scripts:
            if "ld+json" in attrs:  # a data block: JSON, with no tag that could end the script
                assert "<" not in body and json.loads(body)["@type"] == "Product"
    assert nonces[0] != nonces[1]

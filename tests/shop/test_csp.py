"""The Content Security Policy header goes out on every kind of page, with a nonce of its own per
response that every inline script of the page carries, and no page has an inline event handler.
The browser proves the pages still work under it: tests/e2e/test_csp_browser.py."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.core.loading import get_model

from tests.catalog_ext.storefront.helpers import product

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")

NONCE_IN_HEADER = re.compile(r"script-src 'self' 'nonce-([^']+)'")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)([^>]*)>", re.S)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.S | re.I)


def signed_in(email):
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


def basket_client():
    client = Client()
    client.post(f"/basket/add/{product('CF-001').pk}/", {"quantity": 1})
    return client


def checkout_client():
    return basket_client()


def first_product_edit_url():
    return f"/dashboard/catalogue/products/{product('CF-001').pk}/"


PAGES = {
    "home": (Client, "/"),
    "listing": (Client, "/catalogue/"),
    "product": (Client, lambda: product("CF-001").get_absolute_url()),
    "search": (Client, "/search/?q=ca+phe"),
    "basket": (basket_client, "/basket/"),
    "checkout": (checkout_client, "/checkout/"),
    "order tracking": (Client, "/orders/track/"),
    "dashboard index": (lambda: signed_in("admin@ocop.demo"), "/dashboard/"),
    "dashboard form": (lambda: signed_in("admin@ocop.demo"), first_product_edit_url),
    "producer portal": (lambda: signed_in("mocchau.tea@ocop.demo"), "/dashboard/producer/"),
    "pos counter": (lambda: signed_in("thungan.moc-chau@ocop.demo"), "/pos/"),
    "admin": (lambda: signed_in("admin@ocop.demo"), "/admin/"),
}


def fetch(name):
    make_client, url = PAGES[name]
    client = make_client()
    url = url() if callable(url) else url
    response = client.get(url, follow=True)
    assert response.status_code == 200, (name, response.status_code, response.redirect_chain)
    return client, url, response


@pytest.mark.parametrize("name", PAGES)
def test_page_is_sent_with_a_strict_policy_whose_nonce_every_inline_script_carries(name):
    _, _, response = fetch(name)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "form-action 'self' https://checkout.stripe.com" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
    html = response.content.decode()
    inline = INLINE_SCRIPT.findall(html)
    match = NONCE_IN_HEADER.search(policy)
    if inline:
        assert match, f"{name}: inline scripts but no nonce in {policy}"
        for attributes in inline:
            assert f'nonce="{match.group(1)}"' in attributes, f"{name}: inline script without the nonce: {attributes}"
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)


@pytest.mark.parametrize("name", ["home", "product", "dashboard index", "pos counter"])
def test_the_nonce_changes_with_every_response(name):
    nonces = set()
    for _ in range(3):
        _, _, response = fetch(name)
        match = NONCE_IN_HEADER.search(response["Content-Security-Policy"])
        if match is None:  # a page with no inline script needs no nonce: nothing to replay
            assert not INLINE_SCRIPT.search(response.content.decode())
            return
        nonces.add(match.group(1))
    assert len(nonces) == 3


@pytest.mark.parametrize("url", ["/", "/catalogue/", "product", "/search/?q=mat+ong"])
def test_a_page_served_from_the_page_cache_carries_its_own_responses_nonce(settings, url,
                                                                         django_assert_max_num_queries):
    """The cached copy would replay the first visitor's nonce: each hit gets the nonce of its own
    header instead (listing/page_cache.py), the JSON-LD's too."""
    settings.OCOP_PAGE_CACHE = True
    url = product("CF-001").get_absolute_url() if url == "product" else url
    seen = []
    Client().get(url)  # a first render may write (thumbnails' key-value store): settle
    for visit in range(3):
        if visit == 0:
            response = Client().get(url)
        else:
            with django_assert_max_num_queries(1):  # served from the cache: nothing is rendered
                response = Client().get(url)
        assert response.status_code == 200
        nonce = NONCE_IN_HEADER.search(response["Content-Security-Policy"]).group(1)
        html = response.content.decode()
        scripts = INLINE_SCRIPT.findall(html)
        assert scripts and all(f'nonce="{nonce}"' in attributes for attributes in scripts), scripts
        assert "ocop-nonce-" not in html
        seen.append(nonce)
    assert len(set(seen)) == 3


def test_json_ld_carries_the_nonce():
    _, _, response = fetch("product")
    nonce = NONCE_IN_HEADER.search(response["Content-Security-Policy"]).group(1)
    assert f'<script type="application/ld+json" nonce="{nonce}">' in response.content.decode()


def test_stripe_checkout_redirect_is_allowed_by_form_action(settings):
    """The place-order form posts to us and is answered with a redirect to Stripe Checkout;
    browsers check form-action against that redirect too."""
    _, _, response = fetch("checkout")
    form_action = response["Content-Security-Policy"].split("form-action", 1)[1].split(";")[0].split()
    assert form_action == ["'self'", "https://checkout.stripe.com"]


@pytest.mark.parametrize("name", ["search", "basket", "dashboard index"])
def test_the_header_is_the_one_django_csp_builds_for_the_responses_nonce(name):
    """core.csp builds the policy once per process and puts each response's nonce in: the header
    must be django-csp's own build for that nonce, byte for byte, and without a nonce."""
    from csp.utils import build_policy

    _client, _url, response = fetch(name)
    nonce = NONCE_IN_HEADER.search(response["Content-Security-Policy"]).group(1)
    assert response["Content-Security-Policy"] == build_policy(nonce=nonce)
    assert "Content-Security-Policy-Report-Only" not in response
    static = Client().get("/healthz")  # no template reads a nonce
    if "Content-Security-Policy" in static:
        assert static["Content-Security-Policy"] == build_policy()


def test_a_changed_policy_setting_is_used_at_once(settings):
    from csp.constants import SELF
    from csp.utils import build_policy

    first = Client().get("/orders/track/")["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF], "img-src": [SELF, "https://cdn.example"]}}
    changed = Client().get("/orders/track/")["Content-Security-Policy"]
    assert changed == build_policy() != first and "https://cdn.example" in changed

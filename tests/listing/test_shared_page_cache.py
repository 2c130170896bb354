"""Visitors with a session, a basket or an account get the cached catalogue page too, with their own
parts put in per request: header account links and basket, messages, recently viewed products and
the CSRF token (issue 21). Nothing one visitor was shown ever reaches another."""
from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalog_ext.cache import VERSION_KEY
from listing import page_cache, page_parts
from tests.catalog_ext.storefront.helpers import product

from .pages import _page, _tools

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")
LISTING = "/catalogue/"
FILTERED = "/catalogue/?stars=3&sort=price_asc"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.OCOP_PAGE_CACHE = True
    cache.delete(VERSION_KEY)


def _messages(html) -> str:
    """The alerts shown (Oscar's alert_messages.html: one div.alert each)."""
    alerts = html.split('<div id="messages">')[1].split('<div class="alert ')[1:]
    return "".join(alert.split('<a class="close"')[1].split("</div>\n    </div>")[0] for alert in alerts)


def _shopper(email, *, staff=False) -> Client:
    user = get_user_model().objects.create_user(email.split("@")[0], email, "pw-123456-x", is_staff=staff)
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_shoppers_basket_and_message_never_reach_the_next_visitor():
    coffee = product("CF-001")
    anna = _shopper("anna@example.vn")
    anna.post(f"/basket/add/{coffee.pk}/", {"quantity": 2})  # queues "added to your basket"
    anna_page = _page(anna, FILTERED)  # rendered for Anna (her message is drawn, so not stored)
    assert 'id="logout_link"' in _tools(anna_page) and "370.000" in _tools(anna_page)
    assert coffee.title in _messages(anna_page)
    _page(anna, FILTERED)  # now stored: her parts cut out
    stored = cache.get(page_cache.page_key(anna.get(FILTERED).wsgi_request))
    assert stored is not None
    assert "370.000" not in stored[1] and "logout_link" not in stored[1] and "anna" not in stored[1]

    binh = _shopper("binh@example.vn")
    for visitor, signed_in in ((binh, True), (Client(), False)):
        html = _page(visitor, FILTERED)
        assert ('id="logout_link"' in _tools(html)) is signed_in
        assert ('id="login_link"' in _tools(html)) is not signed_in
        assert "370.000" not in _tools(html) and "data-basket-count" not in _tools(html)
        assert coffee.title not in _messages(html)
        assert "ocop-part" not in html and "ocop-csrf-" not in html


def test_a_basket_holder_is_served_from_the_cache_with_their_own_basket():
    coffee = product("CF-001")
    _page(Client(), LISTING)  # stored by an anonymous visit
    visitor = Client()
    visitor.post(f"/basket/add/{coffee.pk}/", {"quantity": 2})
    _page(visitor, LISTING)  # the "added" message is drawn once
    with CaptureQueriesContext(connection) as rendered:
        Client().get("/catalogue/?page=2")  # not cached yet: rendered
    with CaptureQueriesContext(connection) as hit:
        html = _page(visitor, LISTING)
    assert "370.000" in _tools(html) and coffee.title not in _messages(html)
    # a hit reads the session and the basket, never the listing (whose queries all read the product
    # table: a rendered page whose cards are all in the card cache costs fewer queries than a hit)
    assert any('FROM "catalogue_product" ' in q["sql"] for q in rendered.captured_queries)
    assert not any('FROM "catalogue_product" ' in q["sql"] for q in hit.captured_queries)
    assert not any("badge_today" in q["sql"] for q in hit.captured_queries)  # no listing query


def test_each_cookie_visitor_gets_a_working_token_of_their_own():
    coffee = product("CF-001")
    _page(Client(), coffee.get_absolute_url())
    tokens = []
    for _ in range(2):
        shopper = Client(enforce_csrf_checks=True)
        shopper.cookies["sessionid"] = "no-such-session"
        token = TOKEN.search(_page(shopper, coffee.get_absolute_url())).group(1)
        tokens.append(token)
        response = shopper.post(f"/basket/add/{coffee.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token})
        assert response.status_code == 302  # 403 would mean someone else's token
    assert tokens[0] != tokens[1]


def _recently_viewed(html) -> str:
    return html.split('id="recent-heading"')[1].split("</section>")[0] if 'id="recent-heading"' in html else ""


def test_recently_viewed_products_are_each_visitors_own():
    coffee, other = product("CF-001"), product("MT-001")
    _page(Client(), other.get_absolute_url())  # stored, nothing viewed before
    visitor = Client()
    _page(visitor, coffee.get_absolute_url())
    html = _page(visitor, other.get_absolute_url())  # from the cache
    assert coffee.get_absolute_url() in _recently_viewed(html)
    assert _recently_viewed(_page(Client(), other.get_absolute_url())) == ""


def test_a_signed_in_shoppers_wish_lists_are_theirs_and_staff_get_their_own_listing():
    coffee = product("CF-001")
    _page(Client(), coffee.get_absolute_url())
    anna = _shopper("anna@example.vn")
    get_model("wishlists", "WishList").objects.create(owner=get_user_model().objects.get(email="anna@example.vn"),
                                                      name="Quà Tết của Anna")
    assert "Quà Tết của Anna" in _page(anna, coffee.get_absolute_url())
    assert "Quà Tết của Anna" not in _page(Client(), coffee.get_absolute_url())
    category = Category.objects.filter(is_public=True).first()
    _page(Client(), category.get_absolute_url())
    staff = _shopper("staff@example.vn", staff=True)
    assert f"/dashboard/catalogue/categories/{category.pk}/" in _page(staff, category.get_absolute_url())
    assert f"/dashboard/catalogue/categories/{category.pk}/" not in _page(Client(), category.get_absolute_url())


def test_a_cookieless_visitor_gets_the_stored_anonymous_parts_without_drawing_them(monkeypatch):
    _page(Client(), LISTING)  # stored by a cookieless visit: its parts are every such visitor's

    class Untouched(page_parts.Part):
        def draw(self, request, number):
            raise AssertionError("a cookieless hit draws no part")

        keep = draw

    monkeypatch.setattr(page_parts, "PARTS", {name: Untouched() for name in page_parts.PARTS})
    shopper = Client(enforce_csrf_checks=True)
    html = _page(shopper, LISTING)
    assert 'id="login_link"' in _tools(html) and "ocop-part" not in html and "ocop-csrf-" not in html
    token = TOKEN.search(html).group(1)
    assert shopper.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}).status_code == 302


def test_a_cached_product_page_records_the_view_as_the_products_id():
    """Bug: a hit recorded the view with the URL's id, a string: the history cookie held the product
    twice ([1, "1"]), so the recently viewed list was drawn on every hit and never kept."""
    coffee = product("CF-001")
    visitor = Client()
    _page(visitor, coffee.get_absolute_url())  # rendered: Oscar records the view
    _page(visitor, coffee.get_absolute_url())  # from the cache
    assert json.loads(visitor.cookies["oscar_history"].value) == [coffee.pk]

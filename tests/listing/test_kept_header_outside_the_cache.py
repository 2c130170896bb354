"""Pages the page cache never stores (a customer's account pages, the basket, checkout) take the
header's account links and basket from the visitor's kept drawing too (listing.page_parts,
`{% visitor_part %}`): a customer's order page no longer reads their basket, its lines, vouchers
and offers only to draw the header; and a change to the basket shows on the very next page."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from listing import page_parts
from tests.catalog_ext.storefront.helpers import product

from .pages import _money, _page, _tools, shared_page_cache  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_page_cache")]
StockRecord = get_model("partner", "StockRecord")
ACCOUNT = "/accounts/profile/"


def _customer(email) -> Client:
    user = get_user_model().objects.create_user(email.split("@")[0], email, "pw-123456-x")
    client = Client()
    client.force_login(user)
    return client


def _basket_queries(client, url) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        html = _page(client, url)
    return html, [q["sql"] for q in queries.captured_queries if "basket_line" in q["sql"]]


def test_an_account_page_takes_the_kept_header_and_shows_a_basket_change_at_once():
    coffee, tea = product("CF-001"), product("CF-002")
    price = StockRecord.objects.get(product=coffee).price
    anna = _customer("anna@example.vn")
    assert anna.post(f"/basket/add/{coffee.pk}/", {"quantity": 2}).status_code == 302
    _page(anna, "/basket/")  # the "added" message, read once

    html, _ = _basket_queries(anna, ACCOUNT)  # drawn and kept
    assert 'id="logout_link"' in _tools(html) and _money(2 * price) in _tools(html)
    html, reads = _basket_queries(anna, ACCOUNT)
    assert reads == [], "the header of an account page read the basket's lines again"
    assert 'id="logout_link"' in _tools(html) and _money(2 * price) in _tools(html)

    assert anna.post(f"/basket/add/{tea.pk}/", {"quantity": 1}).status_code == 302
    _page(anna, "/basket/")
    tea_price = StockRecord.objects.get(product=tea).price
    assert _money(2 * price + tea_price) in _tools(_page(anna, ACCOUNT))


def test_one_customers_kept_header_never_reaches_another():
    coffee = product("CF-001")
    anna, binh = _customer("anna@example.vn"), _customer("binh@example.vn")
    assert anna.post(f"/basket/add/{coffee.pk}/", {"quantity": 3}).status_code == 302
    _page(anna, ACCOUNT)
    _page(anna, ACCOUNT)
    total = _money(3 * StockRecord.objects.get(product=coffee).price)
    assert total in _tools(_page(anna, ACCOUNT))
    assert total not in _tools(_page(binh, ACCOUNT))
    assert total not in _tools(_page(Client(), "/basket/"))


def test_without_a_shared_cache_the_header_is_drawn_on_every_page(monkeypatch):
    monkeypatch.setattr(page_parts, "cache_is_shared", lambda: False)
    coffee = product("CF-001")
    anna = _customer("anna@example.vn")
    assert anna.post(f"/basket/add/{coffee.pk}/", {"quantity": 1}).status_code == 302
    _page(anna, ACCOUNT)
    html, reads = _basket_queries(anna, ACCOUNT)
    assert reads and _money(StockRecord.objects.get(product=coffee).price) in _tools(html)

"""The shopper's page of one order asks no query of the rows its order's query says it has none of
(issue 21): discounts, surcharges, returns, the lines' options, the shopper's reviews of its products.
The page is the same byte for byte as the page that asks each."""
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from shop import account_views
from shop.order import known_rows
from shop.order.models import LineReturn
from tests.order_life.conftest import place_order
from tests.speed.counting import add_two_discounts, tables_read

pytestmark = pytest.mark.django_db
LineAttribute, ProductReview = get_model("order", "LineAttribute"), get_model("reviews", "ProductReview")
TABLES = ("order_orderdiscount", "order_surcharge", "order_linereturn", "order_lineattribute", "reviews_productreview")
FLAGS = (*(known_rows.has_rows(name) for name in account_views.SHOWN), "ocop_has_line_attributes", "ocop_has_reviews")


@pytest.fixture
def shopper(db):
    return get_user_model().objects.create_user("known-rows", "known.rows@example.vn", "pw-123456-x")


@pytest.fixture
def client_of(shopper):
    client = Client()
    client.force_login(shopper)
    return client


@pytest.fixture
def bare(shopper):
    order = place_order(("CF-001", 1), ("TE-002", 2), user=shopper)
    for name in account_views.SHOWN:
        getattr(order, name).all().delete()
    return order


@pytest.fixture
def full(shopper):
    """Rows of every kind, some needing escaping; a product the shopper reviewed (not the other; neither
    is the bare order's)."""
    order = place_order(("CF-002", 1), ("CF-003", 2), user=shopper)
    first, second = order.lines.order_by("pk")
    add_two_discounts(order)
    order.surcharges.create(name="Phí <gói> & quà", code="gift", incl_tax=Decimal(5000), excl_tax=Decimal(5000))
    LineReturn.objects.create(order=order, line=first, quantity=1, reason="Vỡ <hộp>", requested_by=shopper)
    option = get_model("catalogue", "Option").objects.create(name='Gói <quà> "Tết"', code="goi-qua-tet-2")
    LineAttribute.objects.create(line=second, option=option, type=option.code, value="Có & đẹp")
    ProductReview.objects.create(product=second.product, user=shopper, score=5, title="Ngon", body="Rất ngon")
    return order


def _steady(html: str) -> str:
    """The page without what differs on every request: the CSRF token, the script nonce, the clock."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r'<meta name="created" content="[^"]*"', '<meta name="created"', html)


def _page(client, order):
    url = reverse("customer:order", kwargs={"order_number": order.number})
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    return _steady(page.content.decode()), tables_read(captured)


def test_the_order_query_says_which_rows_there_are(shopper, bare, full):
    for order, expected in ((bare, False), (full, True)):
        found, = account_views._SHOPPERS_ORDER.run("get", [shopper.pk, str(order.number)])
        assert {flag: bool(getattr(found, flag)) for flag in FLAGS} == dict.fromkeys(FLAGS, expected)
    # another shopper's review of the same product is not this shopper's
    other = get_user_model().objects.create_user("other-one", "other@example.vn", "pw-123456-x")
    ProductReview.objects.create(product=bare.lines.first().product, user=other, score=4, title="Ổn", body="Ổn")
    found, = account_views._SHOPPERS_ORDER.run("get", [shopper.pk, str(bare.number)])
    assert not found.ocop_has_reviews


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_is_the_page_that_asks_each(client_of, bare, full, monkeypatch, language):
    """Byte for byte (the CSRF token apart) the page of the view that asks each relation (known_empty
    doing nothing: each read as before; fails on the old view: no known_empty); the bare order's page
    reads none of those tables, the full order's each."""
    client_of.cookies["django_language"] = language
    pages = {order.number: _page(client_of, order) for order in (bare, full)}
    monkeypatch.setattr(known_rows, "known_empty", lambda instance, name: None)
    for order in (bare, full):
        assert pages[order.number][0] == _page(client_of, order)[0]
    assert not set(TABLES) & set(pages[bare.number][1]), pages[bare.number][1]
    assert all(table in pages[full.number][1] for table in TABLES), pages[full.number][1]
    html = pages[full.number][0]
    for shown in ('data-return="', "Giảm &lt;Tết&gt;", "Gói &lt;quà&gt; &quot;Tết&quot;"):  # (a surcharge: its sum only)
        assert shown in html, shown
    assert html.count("#addreview") == 1  # the product not reviewed yet
    assert pages[bare.number][0].count("#addreview") == 2


# The shopper's page of one order with none of those rows, at any number of lines, in this test's world
# (the header's basket and the account's counters included; 5 on PostgreSQL in bench/signed_in.py):
# 5 fewer than before (the lines' options, the reviews, the discounts, the surcharges, the returns),
# and 2 fewer for the header's basket (basket8: its web stock records and its lines' options).
ACCOUNT_ORDER_PAGE_QUERIES = {"sqlite": 14, "postgresql": 11}


def test_the_page_asks_a_fixed_number_of_queries(client_of, bare):
    from tests.speed.counting import page_queries

    four = place_order(("CF-001", 1), ("TE-002", 1), ("CF-002", 1), ("CF-003", 1), user=bare.user)
    counts = [page_queries(client_of, reverse("customer:order", kwargs={"order_number": order.number}))
              for order in (bare, four)]
    assert counts == [ACCOUNT_ORDER_PAGE_QUERIES[connection.vendor]] * 2, counts

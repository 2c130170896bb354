"""Signed-in and basket pages cost a fixed number of queries, whatever the number of lines
(issue "Fast for every shopper"): a page that grows with the basket is an N+1 waiting for a big order."""
import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.speed.counting import page_queries as _queries

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def _web_skus(n):
    """n demo products the web sells and has in stock (the producer's own record)."""
    records = StockRecord.objects.select_related("product")
    skus = [r.partner_sku for r in records.order_by("pk")
            if r.product.producer_id == r.partner_id and r.num_in_stock - (r.num_allocated or 0) > 2]
    assert len(skus) >= n
    return skus[:n]


def _basket_of(client, n):
    for sku in _web_skus(n):
        product = StockRecord.objects.get(partner_sku=sku).product
        assert client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}).status_code == 302


@pytest.mark.parametrize("url_name", ["basket:summary"])
def test_basket_page_queries_do_not_grow_with_its_lines(client, url_name):
    _basket_of(client, 1)
    one = _queries(client, reverse(url_name))
    _basket_of(client, 9)
    ten = _queries(client, reverse(url_name))
    assert ten <= one, f"{one} queries with 1 line, {ten} with 10"


def test_account_order_pages_queries_do_not_grow_with_the_orders(client):
    """The shopper's order history at 5 and at 20 orders (a page of them: Oscar's table reads
    order.num_items, so its lines are fetched for the whole page at once), and one order's page."""
    from django.contrib.auth import get_user_model

    from tests.catalog_ext.storefront.test_orders import place_order

    user = get_user_model().objects.create_user("dem-don", "dem.don@example.vn", "pw-123456-x")
    client.force_login(user)
    orders = [place_order(user=user) for _ in range(5)]
    five = _queries(client, reverse("customer:order-list"))
    detail_five = _queries(client, reverse("customer:order", kwargs={"order_number": orders[0].number}))
    orders += [place_order(user=user) for _ in range(15)]
    twenty = _queries(client, reverse("customer:order-list"))
    detail_twenty = _queries(client, reverse("customer:order", kwargs={"order_number": orders[-1].number}))
    assert twenty <= five, f"{five} queries with 5 orders, {twenty} with 20"
    assert detail_twenty <= detail_five


def test_account_order_page_does_not_grow_with_its_lines(client):
    from django.contrib.auth import get_user_model

    from tests.catalog_ext.storefront.test_orders import place_order

    user = get_user_model().objects.create_user("dem-don-2", "dem.don.2@example.vn", "pw-123456-x")
    client.force_login(user)
    skus = _web_skus(10)
    one = place_order(user=user, lines=[(skus[0], 1)])
    ten = place_order(user=user, lines=[(sku, 1) for sku in skus])
    at_1 = _queries(client, reverse("customer:order", kwargs={"order_number": one.number}))
    at_10 = _queries(client, reverse("customer:order", kwargs={"order_number": ten.number}))
    assert at_10 <= at_1, f"{at_1} queries at 1 line, {at_10} at 10"


def test_account_order_page_does_not_grow_with_its_delivered_lines(client):
    """Delivered lines may be returned: the page asks, for every line, when it was delivered and
    how much of it was already asked back."""
    from django.contrib.auth import get_user_model

    from tests.order_life.conftest import place_order
    from tests.order_life.test_returns import delivered

    user = get_user_model().objects.create_user("dem-don-3", "dem.don.3@example.vn", "pw-123456-x")
    client.force_login(user)
    skus = _web_skus(10)
    one = delivered(place_order((skus[0], 1), user=user))
    ten = delivered(place_order(*[(sku, 1) for sku in skus], user=user))
    at_1 = _queries(client, reverse("customer:order", kwargs={"order_number": one.number}))
    page = client.get(reverse("customer:order", kwargs={"order_number": ten.number}))
    assert page.content.decode().count("data-return-line=") == 10
    at_10 = _queries(client, reverse("customer:order", kwargs={"order_number": ten.number}))
    assert at_10 <= at_1, f"{at_1} queries at 1 delivered line, {at_10} at 10"


def _checkout_queries(client, n) -> dict[str, int]:
    from tests.checkout.payment_methods.checkout import choose_payment, start_guest_checkout

    start_guest_checkout(client, lines=[(sku, 1) for sku in _web_skus(n)])
    assert choose_payment(client, "cod").status_code == 302
    return {name: _queries(client, reverse(name)) for name in
            ("checkout:shipping-address", "checkout:shipping-method", "checkout:payment-method", "checkout:preview")
            if client.get(reverse(name)).status_code == 200}


def test_checkout_steps_queries_do_not_grow_with_the_basket(client):
    """Every checkout step a guest sees, at 1 line and at 10 (producers differ: some per-producer
    work is expected to be one query for all of them, never one per line)."""
    from django.test import Client

    one = _checkout_queries(client, 1)
    ten = _checkout_queries(Client(), 10)
    assert one and one.keys() == ten.keys()
    grown = {name: (one[name], ten[name]) for name in one if ten[name] > one[name]}
    assert not grown, f"queries at 1 line, at 10: {grown}"


def test_account_order_page_reads_its_lines_once(client):
    """The returns part takes the lines the table read ({% order_returns order ocop_lines %}): it read
    them again (fails on the old template: two reads of order_line)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.order_life.conftest import place_order
    from tests.order_life.test_returns import delivered
    from tests.speed.counting import tables_read

    user = get_user_model().objects.create_user("dem-don-4", "dem.don.4@example.vn", "pw-123456-x")
    client.force_login(user)
    order = delivered(place_order(*[(sku, 1) for sku in _web_skus(3)], user=user))
    url = reverse("customer:order", kwargs={"order_number": order.number})
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.content.decode().count("data-return-line=") == 3
    assert tables_read(captured).count("order_line") == 1


@pytest.mark.parametrize("with_discounts", [False, True])
def test_account_order_page_reads_its_discounts_once(client, with_discounts):
    """Oscar's order page read the order's discounts twice (`order.basket_discounts`, then
    `order.has_shipping_discounts`); {% order_discounts %} reads them once (fails on the old template:
    two reads of order_orderdiscount). The totals still show each kind of discount as Oscar's blocks do.
    Without any, none is read: the order's query says there are none (shop/order/known_rows.py)."""

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from tests.order_life.conftest import place_order
    from tests.speed.counting import add_two_discounts, tables_read

    user = get_user_model().objects.create_user("dem-giam-gia", "dem.giam.gia@example.vn", "pw-123456-x")
    client.force_login(user)
    order = place_order(*[(sku, 1) for sku in _web_skus(2)], user=user)
    if with_discounts:
        add_two_discounts(order)
    url = reverse("customer:order", kwargs={"order_number": order.number})
    client.get(url)
    with CaptureQueriesContext(connection) as captured, translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    reads = [table for table in tables_read(captured) if table == "order_orderdiscount"]
    if with_discounts:
        # the shipping total before discounts is Oscar's property (its own read, only when there are some)
        assert len(reads) == 2
        assert "Giảm &lt;Tết&gt;" in html and "Miễn phí &amp; giao" in html
        assert html.index("Giảm &lt;Tết&gt;") < html.index("Miễn phí &amp; giao")
    else:
        assert len(reads) == 0
        assert "Miễn phí" not in html


def test_account_order_page_reads_the_order_with_its_address_and_payment(client):
    """The order is read with its shipping address, the address's country and its payment choice in
    one query (shop/account_views.py OrderDetailView; Oscar's view read the order alone, then each of
    the three: fails on it). The page's queries are the same at 1 line and at 10."""

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.order_life.conftest import place_order
    from tests.speed.counting import tables_read

    user = get_user_model().objects.create_user("dem-don-5", "dem.don.5@example.vn", "pw-123456-x")
    client.force_login(user)
    skus = _web_skus(10)
    one = place_order((skus[0], 1), user=user)
    ten = place_order(*[(sku, 1) for sku in skus], user=user)
    counts = []
    for order in (one, ten):
        url = reverse("customer:order", kwargs={"order_number": order.number})
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        read = [table for table in tables_read(captured)
                if table != "auth_permission"]  # the cache's with Redis (shop/dashboard/permission_cache.py)
        assert not {"order_shippingaddress", "address_country", "payment_orderpayment"} & set(read), read
        html = page.content.decode()
        assert "12 Tô Hiệu" in html and "+84912345678" in html and 'data-payment-method="cod"' in html
        counts.append(len(read))
    from django.db import connection as db

    assert counts == [ACCOUNT_ORDER_PAGE_QUERIES[db.vendor]] * 2, counts


# The shopper's order page at any number of lines (SQLite, demo shop): the session's user, the order
# (with its address, country and payment, and whether it has options, reviews, discounts, surcharges,
# returns: shop/order/known_rows.py), the lines, their products' badges; plus the frame's and the test
# settings' (5 in all in bench/signed_in.py on PostgreSQL). Before: 5 more (the lines' options, the
# shopper's reviews, the discounts, the surcharges, the returns, none there). Oscar's view: 3 more.
# SQLite with the local cache asks one more than PostgreSQL with Redis, on every page alike (not the page's own).
# The user's two permission reads are left out: with Redis the cache answers them, without it they are read.
# basket8: two fewer (the basket the frame loads: its web stock records known from its lines' query,
# its lines' options not read when none has any)
ACCOUNT_ORDER_PAGE_QUERIES = {"sqlite": 12, "postgresql": 11}


# The basket page and the checkout steps of a guest at 1 line and at 10 (demo shop): the same number
# of queries, pinned (issue 21: the basket's load is the lines with their products, the lines'
# options, the products' images, the vouchers and the site offers, one query each). Lower a number
# when a page reads less; never raise one.
# (On SQLite the 1-line pages ask more than the 10-line ones; why was not looked into: the older test
# above only asks that 10 lines ask no more than 1.)
BASKET_AND_CHECKOUT_QUERIES = {
    # basket8: two fewer everywhere (the web stock records known from the lines' own query; the lines'
    # options not read when the lines' query says none has any), three on the pages that show the lines
    # (their badges read with the lines)
    "sqlite": {1: {"basket:summary": 9, "checkout:shipping-address": 10, "checkout:shipping-method": 9,
                   "checkout:payment-method": 9, "checkout:preview": 9},
               10: {"basket:summary": 6, "checkout:shipping-address": 9, "checkout:shipping-method": 8,
                    "checkout:payment-method": 8, "checkout:preview": 8}},
    "postgresql": {1: {"basket:summary": 8, "checkout:shipping-address": 9, "checkout:shipping-method": 8,
                       "checkout:payment-method": 8, "checkout:preview": 8},
                   10: {"basket:summary": 5, "checkout:shipping-address": 8, "checkout:shipping-method": 7,
                        "checkout:payment-method": 7, "checkout:preview": 7}},
}


def _basket_and_checkout_queries(client, n) -> dict[str, int]:
    counts = _checkout_queries(client, n)
    return {"basket:summary": _queries(client, reverse("basket:summary")), **counts}


def test_basket_and_checkout_queries_are_pinned_at_1_and_10_lines(client):
    from django.db import connection as db
    from django.test import Client

    _basket_and_checkout_queries(Client(), 1)  # the process's first pages fill its caches
    one = _basket_and_checkout_queries(client, 1)
    ten = _basket_and_checkout_queries(Client(), 10)
    assert {1: one, 10: ten} == BASKET_AND_CHECKOUT_QUERIES[db.vendor]

"""Signed-in and basket pages cost a fixed number of queries, whatever the number of lines
(issue "Fast for every shopper"): a page that grows with the basket is an N+1 waiting for a big order."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def _web_skus(n):
    """n demo products the web sells and has in stock (the producer's own record)."""
    records = StockRecord.objects.select_related("product")
    skus = [r.partner_sku for r in records.order_by("pk")
            if r.product.producer_id == r.partner_id and r.num_in_stock - (r.num_allocated or 0) > 2]
    assert len(skus) >= n
    return skus[:n]


def _queries(client, url) -> int:
    """Statements that read or write data (BEGIN/COMMIT/SAVEPOINT are the transaction's, not the page's)."""
    client.get(url)
    client.get(url)  # first visits write counters and session state; measure a steady page
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return sum(1 for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(
        ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")))


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

"""The "Place order" request (issue 21: 100 orders a second) costs the same statements for a basket of
1 line and of 10 lines of several producers, and no statement twice that once would do: the basket's
lines are read once (Oscar asked `is_empty`, a COUNT, in the replay check and its precondition), the
shipping method is listed and priced once (Oscar asks for it three times), and the payment choice
and the shopper's confirmation of an order made in this transaction are one INSERT each (they were
a read and an insert in two savepoints each)."""
import pytest
from django.contrib.sites.models import Site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from notifications.models import Message
from tests.checkout.payment_methods.checkout import GUEST_EMAIL, choose_payment, place_order_data, start_guest_checkout
from tests.speed.counting import data_queries
from tests.speed.test_query_counts_by_size import _web_skus

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")

# Middleware: the basket, its lines (read there instead of Oscar's COUNT: shop/basket/middleware.py),
# with their options and images, its vouchers, the offers. The view: the lines' stock records (their
# product classes come joined with the lines: shop/basket/models.py); the showrooms (the shipping methods listed); the parcel's weight; the basket
# frozen. The order: the country, its delivery address, then place_order's 10 (tests/order_life/
# test_place_order_queries.py; no vouchers' lock: the middleware read the basket's vouchers in this request,
# none, and keeps them as read: shop/basket/reads.py), the consent, the payment choice, the basket submitted, the
# shopper's confirmation. The session saved. (Was 36, with 14 savepoint statements where 6 are left.)
# The session's read is not counted: with Redis (core.sessions, cached_db) it comes from the cache.
PLACE_ORDER_REQUEST_QUERIES = 22  # 24 before basket8 (the web stock records, known from the lines' query; no options read for lines without); 25 before basket5 (the vouchers' lock, for none); 27 before the basket page's branch (shopper): no COUNT, no product-class read


def place_order_statements(client, lines) -> tuple[list[str], object]:
    start_guest_checkout(client, lines=lines)
    assert choose_payment(client, "cod").status_code == 302
    preview = client.get(reverse("checkout:preview"))
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("checkout:preview"), place_order_data(preview))
    assert response.status_code == 302 and response["Location"] == reverse("checkout:thank-you")
    statements = [sql for sql in data_queries(captured)
                  if not (sql.lstrip().upper().startswith("SELECT") and '"django_session"' in sql)]
    return statements, Order.objects.filter(guest_email=GUEST_EMAIL).latest("pk")


def test_placing_an_order_of_1_line_and_of_10_lines_takes_the_same_statements(client, settings):
    from django.test import Client

    settings.FREE_SHIPPING_THRESHOLD = 10**12  # both pay for delivery: the weight is read for both
    Site.objects.get_current()  # read once per process in a running shop
    skus = _web_skus(10)

    one, small = place_order_statements(client, [(skus[0], 2)])
    ten, big = place_order_statements(Client(), [(sku, 1) for sku in skus])

    assert (len(one), len(ten)) == (PLACE_ORDER_REQUEST_QUERIES, PLACE_ORDER_REQUEST_QUERIES), (one, ten)
    assert not any("COUNT(*)" in sql and "basket_line" in sql for sql in one)  # the lines read are counted
    assert [line.quantity for line in small.lines.all()] == [2] and big.lines.count() == 10
    for order in (small, big):
        assert order.payment_choice.method == "cod" and order.shipping_incl_tax > 0
        assert Message.objects.filter(order=order, event="ORDER_PLACED").exists()  # the confirmation

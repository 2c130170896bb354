"""The office's page of one order asks no query of the rows it knows the order has none of (issue 21):
the order's query says, with an EXISTS each, whether it has status changes, surcharges, discounts,
payment sources, shipping and payment events, notes, messages and returns; most orders the office
opens have none of most of them. The page is the same byte for byte as the page that asks each."""
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from shop.dashboard.orders import views as office_views
from shop.order import known_rows
from shop.order.models import LineReturn
from shop.payment import methods
from tests.order_life.conftest import pay, place_order, ship_all
from tests.speed.counting import add_two_discounts, tables_read

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
Message = get_model("notifications", "Message")
RELATIONS = (*office_views.PREFETCHED, *office_views.DRAWN)
TABLES = {"status_changes": "order_orderstatuschange", "surcharges": "order_surcharge",
          "discounts": "order_orderdiscount", "sources": "payment_source", "shipping_events": "order_shippingevent",
          "payment_events": "order_paymentevent", "notes": "order_ordernote", "messages": "notifications_message",
          "line_returns": "order_linereturn"}


@pytest.fixture
def office(db):
    client = Client()
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    return client


@pytest.fixture
def bare(db):
    """An order as most are when the office opens it: lines, nothing else."""
    order = place_order(("CF-001", 1), ("TE-002", 2))
    for name in RELATIONS:  # whatever placing it wrote (a message, a status change …) removed
        getattr(order, name).all().delete()
    return order


@pytest.fixture
def full(db):
    """An order with rows of every kind the page shows, some of them needing escaping."""
    order = pay(place_order(("CF-001", 1), ("TE-002", 2), method=methods.VIETQR), reference="FT-<1>&2")
    order = ship_all(order)
    add_two_discounts(order)
    order.surcharges.create(name="Phí <gói> & quà", code="gift", incl_tax=Decimal(5000), excl_tax=Decimal(5000))
    OrderNote.objects.create(order=order, message="Gọi <trước> & giao")
    Message.objects.get_or_create(order=order, key=f"test-{order.number}",
                                  defaults={"event": "new_order", "channel": "email", "recipient": "a&b@example.vn"})
    LineReturn.objects.create(order=order, line=order.lines.order_by("pk").first(), quantity=1, reason="Vỡ <hộp>")
    return order


def _csrf_free(html: str) -> str:
    """The page without what differs on every request: the CSRF token, the script nonce, the clock."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r'<meta name="created" content="[^"]*"', '<meta name="created"', html)


def _page(office, order, path=None):
    url = path or reverse("dashboard:order-detail", kwargs={"number": order.number})
    office.get(url)
    with CaptureQueriesContext(connection) as captured:
        page = office.get(url)
    assert page.status_code == 200
    read = tables_read(captured)
    return _csrf_free(page.content.decode()), read


def test_the_order_query_says_which_relations_have_rows(bare, full):
    for order, expected in ((bare, False), (full, True)):
        found, = office_views._STAFF_ORDER.run("get", [str(order.number)])
        said = {name: bool(getattr(found, known_rows.has_rows(name))) for name in RELATIONS}
        assert said == {name: getattr(order, name).exists() for name in RELATIONS} == dict.fromkeys(RELATIONS, expected)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_is_the_page_that_asks_each_relation(office, bare, full, monkeypatch, language):
    """Byte for byte (the CSRF token apart) the page of the view that asks every relation (known_empty
    doing nothing: each is read as before); the bare order's page asks none of those tables (fails on
    the old view: nine more queries), the full order's asks each."""
    office.cookies["django_language"] = language
    note = OrderNote.objects.create(order=bare, message="tạm")
    note_path = reverse("dashboard:order-detail-note", kwargs={"number": bare.number, "note_id": note.pk})
    note.delete()  # the note page of a note gone: Oscar's 404 both ways
    assert office.get(note_path).status_code == 404
    pages = {order.number: _page(office, order) for order in (bare, full)}
    monkeypatch.setattr(known_rows, "known_empty", lambda order, name: None)
    for order in (bare, full):
        html, read = _page(office, order)
        assert pages[order.number][0] == html
        assert all(TABLES[name] in read for name in RELATIONS if name != "line_returns" or order is full)
    assert not set(TABLES.values()) & set(pages[bare.number][1]), pages[bare.number][1]
    assert all(pages[full.number][1].count(TABLES[name]) >= 1 for name in RELATIONS), pages[full.number][1]
    html = pages[full.number][0]
    for shown in ("FT-&lt;1&gt;&amp;2", "Phí &lt;gói&gt; &amp; quà", "Gọi &lt;trước&gt; &amp; giao", "a&amp;b@example.vn",
                  "Vỡ &lt;hộp&gt;", "Giảm &lt;Tết&gt;"):
        assert shown in html, shown


def test_a_note_refused_draws_the_page_with_the_notes_of_the_moment(office, bare):
    """A POST draws the page again when the note form fails (Oscar's save_note): the relations the
    page draws are read then, not taken as empty."""
    url = reverse("dashboard:order-detail", kwargs={"number": bare.number})
    OrderNote.objects.create(order=bare, message="Ghi chú cũ")
    refused = office.post(url, {"order_action": "save_note", "message": ""})
    assert refused.status_code == 200 and "Ghi chú cũ" in refused.content.decode()
    saved = office.post(url, {"order_action": "save_note", "message": "Ghi chú mới"})
    assert saved.status_code == 302
    assert "Ghi chú mới" in office.get(url).content.decode()

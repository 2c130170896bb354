"""The office's and the shopper's page of one order read the order with a query compiled once per
connection (core/prepared.py, a text placeholder for the order's number, issue 21): the same SQL as
the ORM's .get(), the same order with the same related rows, the same 404s."""
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.core.loading import get_model

from shop import account_views
from shop.dashboard.orders import views as office_views
from shop.order import known_rows
from tests.order_life.conftest import place_order

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
RELATED = ("shipping_address", "billing_address", "user", "payment_choice")
ODD_NUMBER = 'ĐH 1&2%3?"x\'_'


def _fields(obj):
    return None if obj is None else {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _as_read(order) -> dict:
    """The order's row and each related row select_related read, as the page would find them."""
    shown = {"order": _fields(order)}
    for name in RELATED:
        try:
            shown[name] = _fields(getattr(order, name))
        except Exception as gone:  # a missing payment choice raises DoesNotExist, as before
            shown[name] = type(gone).__name__
    if order.shipping_address_id:
        shown["country"] = _fields(order.shipping_address.country)
    return shown


def _sql_of(read) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as captured:
        found = read()
    return [q["sql"] for q in captured.captured_queries], found


@pytest.fixture
def orders(db):
    shopper = get_user_model().objects.create_user("prep-shopper", "prep@example.vn", "pw-123456-x")
    guest = place_order(("CF-001", 1))
    mine = place_order(("CF-001", 1), ("TE-002", 2), user=shopper)
    odd = place_order(("CF-002", 1), user=shopper)
    Order.objects.filter(pk=odd.pk).update(number=ODD_NUMBER, shipping_address=None)
    bare = place_order(("CF-003", 1), user=shopper)
    get_model("payment", "OrderPayment").objects.filter(order=bare).delete()
    return shopper, [Order.objects.get(pk=o.pk) for o in (guest, mine, odd, bare)]


def test_the_office_reads_the_order_as_the_orm_does(orders):
    _, placed = orders
    staff = get_user_model().objects.get(email="admin@ocop.demo")
    for order in placed:
        orm_sql, orm = _sql_of(lambda o=order: oscar_views.queryset_orders_for_user(staff)
                               .select_related("payment_choice").prefetch_related(None)
                               .annotate(**known_rows.annotations((*office_views.PREFETCHED, *office_views.DRAWN))).get(number=o.number))
        for _ in range(2):  # compiled by the first run on this connection, then as compiled
            sql, found = _sql_of(lambda o=order: office_views._STAFF_ORDER.run("get", [o.number]))
            assert sql == orm_sql and len(found) == 1
            assert _as_read(found[0]) == _as_read(orm)
    assert office_views._STAFF_ORDER.run("get", ["no-such-number"]) == []


def test_the_shopper_reads_the_order_as_the_orm_does(orders):
    shopper, placed = orders
    for order in placed[1:]:
        orm_sql, orm = _sql_of(lambda o=order: account_views._shoppers_orders()
                               .annotate(**known_rows.annotations(account_views.SHOWN), **account_views._line_rows_flags())
                               .get(user=shopper, number=o.number))
        for _ in range(2):
            sql, found = _sql_of(lambda o=order: account_views._SHOPPERS_ORDER.run("get", [shopper.pk, o.number]))
            assert sql == orm_sql and len(found) == 1
            assert _as_read(found[0]) == _as_read(orm)
    # another's order (the guest's) is not theirs
    assert account_views._SHOPPERS_ORDER.run("get", [shopper.pk, placed[0].number]) == []


def test_the_pages_show_the_order_and_404_for_another(orders):
    shopper, placed = orders
    office, own = Client(), Client()
    office.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    own.force_login(shopper)
    for order in placed:
        page = office.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
        assert page.status_code == 200 and page.context["order"].pk == order.pk
        answer = own.get(reverse("customer:order", kwargs={"order_number": order.number}))
        assert answer.status_code == (404 if order is placed[0] else 200)
        if order is not placed[0]:
            assert answer.context["order"].pk == order.pk
    assert office.get(reverse("dashboard:order-detail", kwargs={"number": "NOPE-1"})).status_code == 404
    assert own.get(reverse("customer:order", kwargs={"order_number": "NOPE-1"})).status_code == 404

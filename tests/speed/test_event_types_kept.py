"""The office's page of one order lists every shipping and payment event type: kept per process under
a version in the shared cache (shop/order/event_types.py), not two queries a page (issue 21). Never
stale: a type created, renamed or deleted is listed as it is on the next page."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from shop.order import event_types
from tests.producer_portal.conftest import order_of
from tests.speed.counting import data_queries

pytestmark = pytest.mark.django_db
ShippingEventType = get_model("order", "ShippingEventType")
PaymentEventType = get_model("order", "PaymentEventType")
EVENT_TYPE_TABLES = ("order_shippingeventtype", "order_paymenteventtype")


@pytest.fixture
def shared(monkeypatch):
    """As with Redis, whatever the test database: the version is read and kept (the local-memory cache is
    this process's, which is all one process's test needs)."""
    monkeypatch.setattr(event_types, "cache_is_shared", lambda: True)
    event_types._new_version()
    yield
    event_types._new_version()


def oscars_lists():
    return list(ShippingEventType.objects.all()), list(PaymentEventType.objects.all())


def as_rows(pair):
    return [[(kind.pk, kind.code, kind.name) for kind in kinds] for kinds in pair]


def reads_of_event_types() -> tuple[list, int]:
    with CaptureQueriesContext(connection) as captured:
        pair = event_types.event_types()
    return pair, sum(1 for sql in data_queries(captured) if any(table in sql for table in EVENT_TYPE_TABLES))


def test_kept_lists_are_oscars_and_read_once(shared):
    ShippingEventType.objects.create(name="Zeta <gửi>", code="zeta")
    ShippingEventType.objects.create(name="Alpha", code="alpha")
    PaymentEventType.objects.create(name="Paid & more", code="paid-more")
    first, reads_first = reads_of_event_types()
    # the creations above are not committed (the test's transaction): nothing kept while they are pending
    assert reads_first == 2 and as_rows(first) == as_rows(oscars_lists())
    connection.run_on_commit = []  # as if committed
    event_types._new_version()
    _, reads_second = reads_of_event_types()
    kept, reads_third = reads_of_event_types()
    assert (reads_second, reads_third) == (2, 0)
    assert as_rows(kept) == as_rows(oscars_lists())
    assert [kind.name for kind in kept[0]][:2] == sorted(kind.name for kind in kept[0])[:2]  # Oscar's order (name)


@pytest.mark.parametrize("change", ["create", "rename", "delete", "payment create"])
def test_a_changed_event_type_is_read_again(shared, change):
    gone = ShippingEventType.objects.create(name="Gone soon", code="gone-soon")
    connection.run_on_commit = []
    event_types._new_version()
    reads_of_event_types()
    assert reads_of_event_types()[1] == 0
    if change == "create":
        ShippingEventType.objects.get_or_create(name="Brand new")  # as shop/order/lifecycle.py does
    elif change == "rename":
        gone.name = "Renamed"
        gone.save()
    elif change == "delete":
        gone.delete()
    else:
        PaymentEventType.objects.get_or_create(name="Refunded again")
    pair, reads = reads_of_event_types()
    assert reads == 2 and as_rows(pair) == as_rows(oscars_lists())
    # its transaction not committed: still read on each page; once committed, kept again
    assert reads_of_event_types()[1] == 2
    for _sids, callback, _robust in connection.run_on_commit:
        callback()
    connection.run_on_commit = []
    assert [reads_of_event_types()[1] for _ in range(2)] == [2, 0]


def test_a_change_made_elsewhere_moves_the_version(shared):
    """Another process's change reaches this one through the version in the cache."""
    connection.run_on_commit = []
    reads_of_event_types()
    assert reads_of_event_types()[1] == 0
    from django.core.cache import cache

    cache.set(event_types.VERSION_KEY, "another process's version")
    assert reads_of_event_types()[1] == 2


def test_with_a_per_process_cache_nothing_is_kept(monkeypatch):
    monkeypatch.setattr(event_types, "cache_is_shared", lambda: False)
    connection.run_on_commit = []
    assert [reads_of_event_types()[1] for _ in range(2)] == [2, 2]


def test_the_order_page_lists_them(shared):
    """The page's selects: every type of each kind, translated as before, read from the kept lists."""
    ShippingEventType.objects.create(name="Đã <gửi> & đi", code="sent-x")
    PaymentEventType.objects.create(name="Paid", code="paid-x")
    connection.run_on_commit = []
    event_types._new_version()
    office = Client()
    office.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    order = order_of(("CF-001", 1))
    connection.run_on_commit = []  # the order's own writes, as if committed
    url = reverse("dashboard:order-detail", kwargs={"number": order.number})
    office.get(url)
    with CaptureQueriesContext(connection) as captured:
        html = office.get(url).content.decode()
    read = [found.group(1) for sql in data_queries(captured) if (found := re.search(r'FROM "(\w+)"', sql))]
    assert not set(read) & set(EVENT_TYPE_TABLES), read
    for select, kinds in zip(("shipping_event_type", "payment_event_type"), oscars_lists(), strict=True):
        shown = html[html.index(f'name="{select}"'):]
        shown = shown[:shown.index("</select>")]
        assert re.findall(r'<option value="([^"]*)"', shown) == [""] + [kind.code for kind in kinds]
    assert '<option value="sent-x">Đã &lt;gửi&gt; &amp; đi</option>' in html


def test_a_transaction_rolled_back_leaves_nothing_kept(shared):
    connection.run_on_commit = []
    with transaction.atomic():
        ShippingEventType.objects.create(name="Never", code="never")
        reads_of_event_types()
        transaction.set_rollback(True)
    connection.run_on_commit = []
    pair, reads = reads_of_event_types()
    assert reads == 2 and "never" not in [kind.code for kind in pair[0]]

"""The producer home's reads compiled once (producer_portal/home.py, frozen.py) give what summary's
functions give one by one, the page drawn from them is byte-equal, and a query whose parameters
depend on an id other than by holding it is refused. The frozen path runs on PostgreSQL; on
SQLite the querysets are evaluated as they are (the same comparisons then hold trivially)."""
import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from oscar.core.loading import get_model

from catalog_ext import expiry, rules
from catalog_ext.models import Certificate
from producer_portal import frozen, home, summary
from shop.partner.scoping import Order, partners_of
from tests.page_parts import comparable
from tests.speed.counting import page_queries, products_of

from .conftest import A_EMAIL, B_EMAIL, order_of, record

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="compiled once on PostgreSQL only")


def context_one_by_one(user):
    """HomeView's context as it was written before home.py: summary's functions, one query each."""
    partner = partners_of(user).first()
    if partner is None:
        return {"partner": None}
    certificates = summary.certificate_status(partner)
    return dict(
        partner=partner,
        orders=list(summary.orders_to_fulfil(partner)[:20]),
        low_stock=list(summary.low_stock(partner)[:20]),
        certificates=list(summary.expiring_certificates(partner)[:10]),
        month_sales=summary.month_sales(partner),
        notices=list(summary.unread_notices(partner)[:5]),
        certificate_rows=certificates.rows,
        certificates_needing_attention_only=certificates.only_needing_attention,
        unread_count=summary.unread_notices(partner).count(),
    )


def facts(value):
    """A value as data: a model instance is its class, its fields, the rows read with it and what
    was set on it (annotations, state); lists item by item."""
    if isinstance(value, list):
        return [facts(item) for item in value]
    if hasattr(value, "_meta") and hasattr(value, "_state"):
        extra = {k: facts(v) for k, v in vars(value).items() if not k.startswith("_")}
        return (type(value), extra, sorted(value.get_deferred_fields()),
                {name: facts(related) for name, related in value._state.fields_cache.items()})
    if type(value).__eq__ is object.__eq__:  # (Oscar's product `attr` container: by identity only)
        return (type(value),)
    return (type(value), value)


def same_context(user):
    fast, slow = home.home_context(user), context_one_by_one(user)
    partner = fast.pop("partner")
    for figure in ("unread_count", "month_sales", "many_products"):
        vars(partner).pop(figure, None)  # read with the producer's row, given apart before
    slow_partner = slow.pop("partner")
    assert facts(partner) == facts(slow_partner)
    assert facts(fast) == facts(slow)
    return fast


@pytest.fixture
def busy_coffee(django_capture_on_commit_callbacks):
    """Orders to prepare, low stock, unread notices, certificates of all states, sales this month."""
    with django_capture_on_commit_callbacks(execute=True):
        orders = [order_of(("CF-001", 2), ("TE-002", 1)) for _ in range(3)]
    Order.objects.filter(pk=orders[0].pk).update(date_placed=summary.month_start() - dt.timedelta(hours=1))
    low = record("CF-002")
    low.low_stock_threshold = low.num_in_stock + 5
    low.save()
    today = rules.today()
    coffee = record("CF-001").product
    for number, issued, expires in (("OLD", today - dt.timedelta(days=900), today - dt.timedelta(days=2)),
                                    ("SOON", today - dt.timedelta(days=300), today + dt.timedelta(days=9))):
        Certificate.objects.create(product=coffee, stars=4, score=80, number=number, level="province",
                                   issuer="UBND tỉnh Sơn La", issued_on=issued, expires_on=expires)
    return low.partner


def users():
    User = get_user_model()
    return User.objects.get(email=A_EMAIL), User.objects.get(email=B_EMAIL)


def test_the_homes_reads_give_what_summarys_functions_give(busy_coffee):
    coffee_user, tea_user = users()
    coffee = same_context(coffee_user)
    assert coffee["orders"] and coffee["low_stock"] and coffee["notices"] and coffee["certificate_rows"]
    assert coffee["certificates"] and coffee["month_sales"] > 0 and coffee["unread_count"] >= 3
    tea = same_context(tea_user)  # the same compiled queries, another producer's ids
    assert [c.number for c in tea["certificates"]] == ["DEMO-SL-2023-TE003"]
    assert {o.pk for o in tea["orders"]} == {o.pk for o in coffee["orders"]}  # the orders have both


def test_a_producer_with_nothing_and_a_user_with_no_producer(busy_coffee):
    from notifications.models import Notification
    from shop.order.models import Line

    coffee_user, tea_user = users()
    Notification.objects.all().delete()
    Line.objects.filter(partner__code="moc-chau-tea").update(status="Shipped")
    tea = same_context(tea_user)
    assert tea["month_sales"] > 0 and tea["unread_count"] == 0 and tea["orders"] == []
    nobody = get_user_model().objects.create_user("no-producer", "no-producer@example.vn", "pw-2026-x")
    assert home.home_context(nobody) == context_one_by_one(nobody) == {"partner": None}


def test_past_twenty_products_the_same_certificates_need_the_producer(busy_coffee):
    coffee_user, _ = users()
    products_of(busy_coffee, 21)
    fast = same_context(coffee_user)
    assert fast["certificates_needing_attention_only"] and [c.number for c in fast["certificate_rows"]]


def test_the_page_is_the_one_summarys_functions_draw(client, busy_coffee):
    client.force_login(users()[0])
    url = reverse("dashboard:producer-home")

    def page():
        return comparable(client.get(url).content.decode())

    fast = page()
    with mock.patch.object(home, "home_context", lambda user, now=None: context_one_by_one(user)):
        slow = page()
    assert fast == slow and "SOON" in fast


def test_the_home_costs_three_queries_less_whatever_its_lists(client, busy_coffee, django_capture_on_commit_callbacks):
    """Was 10: the producer's row now carries the unread count, the month's sales and whether it has
    many products (and the session's user, the producer, 3 lists, 2 certificate lists)."""
    client.force_login(users()[0])
    url = reverse("dashboard:producer-home")
    few = page_queries(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            order_of(("CF-001", 1))
    assert page_queries(client, url) == few
    with mock.patch.object(home, "home_context", lambda user, now=None: context_one_by_one(user)):
        one_by_one = page_queries(client, url)
    # 10 → 7 with the bench's Redis (the session and the permissions from the cache); SQLite's
    # test settings read the session and the permissions from the database as well
    assert few == one_by_one - 3


@on_postgresql
def test_a_query_is_compiled_once_and_run_with_each_producers_id(busy_coffee):
    coffee_user, tea_user = users()
    shapes = home.low_stock._shapes
    shapes.clear()
    first = home.low_stock(partner=busy_coffee.pk)
    assert len(shapes) == 1
    assert home.low_stock(partner=tea_user.partners.get().pk) == []
    assert len(shapes) == 1 and [r.pk for r in first] == [record("CF-002").pk]


@on_postgresql
def test_a_parameter_made_from_an_id_is_refused():
    from shop.partner.scoping import StockRecord

    made_from = frozen.Frozen(lambda partner: StockRecord.objects.filter(partner_id=partner + 1), marks=("partner",))
    with pytest.raises(frozen.NotFreezable):
        made_from(partner=1)
    counted = frozen.Frozen(lambda count: StockRecord.objects.filter(num_in_stock=count), marks=("count",))
    with pytest.raises(frozen.NotFreezable):  # a count, not an id: a stand-in is out of its range
        counted(count=3)
    with pytest.raises(TypeError):
        home.low_stock(partner="1")


@on_postgresql
def test_a_fixed_value_makes_a_query_of_its_own(busy_coffee):
    """The day is not a mark: the next day's query is compiled again (its dates are other parameters)."""
    today = rules.today()
    shapes = home.expiring_certificates._shapes
    shapes.clear()
    now = home.expiring_certificates(partner=busy_coffee.pk, on=today)
    later = home.expiring_certificates(partner=busy_coffee.pk, on=today + dt.timedelta(days=30))
    assert len(shapes) == 2 and [c.number for c in now] == ["SOON"] and later == []
    assert later == list(expiry.expiring_certificates(on=today + dt.timedelta(days=30))
                         .filter(product__producer=busy_coffee))


# --- Every portal page: the producer's row read with its unread count (ProducerMixin) -----------

def _as_before():
    """ProducerMixin as it was: scoping.producer_of, then the unread notices counted apart."""
    from producer_portal import views
    from shop.partner import scoping

    def dispatch(self, request, *args, **kwargs):
        self.partner = scoping.producer_of(request.user)
        return super(views.ProducerMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super(views.ProducerMixin, self).get_context_data(**kwargs)
        ctx["partner"] = self.partner
        ctx["unread_count"] = summary.unread_notices(self.partner).count()
        return ctx

    return mock.patch.multiple(views.ProducerMixin, dispatch=dispatch, get_context_data=get_context_data)


def _drawn(response):
    return response.status_code, comparable(response.content.decode())


@pytest.mark.parametrize("name", ["producer-orders", "producer-order", "producer-stock", "producer-notices",
                                  "producer-profile", "producer-money", "producer-stock-edit"])
def test_a_portal_page_is_the_same_with_one_query_less(client, busy_coffee, name):
    client.force_login(users()[0])
    kwargs = {"producer-order": {"number": Order.objects.filter(lines__partner=busy_coffee).first().number},
              "producer-stock-edit": {"pk": record("CF-001").pk}}.get(name, {})
    url = reverse(f"dashboard:{name}", kwargs=kwargs)
    fast, fast_queries = _drawn(client.get(url)), page_queries(client, url)
    with _as_before():
        slow, slow_queries = _drawn(client.get(url)), page_queries(client, url)
    assert fast == slow and fast[0] == 200 and 'data-unread' in fast[1]
    assert fast_queries == slow_queries - 1


def test_a_refused_stock_page_counts_the_notices_afresh_as_before(client, busy_coffee):
    from .conftest import stock_page_as_posted

    client.force_login(users()[0])
    url = reverse("dashboard:producer-stock")
    data = stock_page_as_posted(client.get(url))
    data["form-0-price"] = "lots"
    fast = _drawn(client.post(url, data))
    with _as_before():
        slow = _drawn(client.post(url, data))
    assert fast == slow and fast[0] == 200 and "alert alert-error" in fast[1]


def test_a_user_of_no_producer_gets_the_404_as_before(client):
    nobody = get_user_model().objects.create_user("no-producer-2", "no-producer-2@example.vn", "pw-2026-x")
    client.force_login(nobody)
    url = reverse("dashboard:producer-orders")
    fast = client.get(url).status_code
    with _as_before():
        slow = client.get(url).status_code
    assert fast == slow != 200


# --- The stock page's records, compiled once for each number of rows (stock_page_records.py) ---

def test_the_stock_pages_records_are_the_orms(busy_coffee, producer_b):
    from producer_portal import stock_page_records as pages
    from shop.partner.scoping import StockRecord

    StockAlert = get_model("partner", "StockAlert")
    products_of(busy_coffee, 4)
    mine = list(StockRecord.objects.filter(partner=busy_coffee).order_by("pk").values_list("pk", flat=True))
    theirs = StockRecord.objects.filter(partner=producer_b).values_list("pk", flat=True).first()
    StockAlert.objects.create(stockrecord_id=mine[1], threshold=5)  # an open low-stock alert (a save reads them)
    for ids in (mine, mine[:3], [mine[0], theirs, mine[-1]], list(reversed(mine[:3])), []):
        for alerts in (False, True):
            fast = pages.page_records(busy_coffee, ids, alerts=alerts)
            assert facts(list(fast)) == facts(list(pages.records_query(busy_coffee, ids, alerts=alerts))), ids
            assert fast.ordered and len(fast) == len(list(pages.records_query(busy_coffee, ids)))
    read = {r.pk: r.has_open_stock_alert for r in pages.page_records(busy_coffee, mine, alerts=True)}
    assert read[mine[1]] is True and set(read.values()) == {True, False}
    for named in (mine, [str(pk) for pk in mine[:3]], [mine[0], theirs, mine[0], "0" + str(mine[1])], []):
        assert pages.locked_ids(busy_coffee, named) == list(pages.locked_query(busy_coffee, named)), named


def test_the_stock_page_and_its_save_are_drawn_and_saved_as_before(client, busy_coffee):
    from producer_portal import stock_page_records as pages
    from shop.partner.scoping import StockRecord

    from .conftest import stock_page_as_posted

    client.force_login(users()[0])
    url = reverse("dashboard:producer-stock")
    as_before = mock.patch.object(pages, "page_records", lambda partner, ids, alerts=False: pages.records_query(partner, ids))
    fast, fast_queries = _drawn(client.get(url)), page_queries(client, url)
    with as_before:
        slow, slow_queries = _drawn(client.get(url)), page_queries(client, url)
    assert fast == slow and fast_queries == slow_queries and fast[0] == 200
    data = stock_page_as_posted(client.get(url))
    data["form-0-num_in_stock"] = "-3"
    refused = _drawn(client.post(url, data))
    with as_before:
        assert _drawn(client.post(url, data)) == refused and "alert alert-error" in refused[1]

    def saved(price):
        data["form-0-num_in_stock"], data["form-0-price"] = data["form-0-shown_in_stock"], price
        answer = client.post(url, data)
        assert answer.status_code == 302
        record = StockRecord.objects.get(pk=data["form-0-id"])
        return record.price, record.num_in_stock
    assert saved(123000) == (123000, int(data["form-0-shown_in_stock"]))
    with as_before:
        assert saved(124000) == (124000, int(data["form-0-shown_in_stock"]))

"""The stock page's rows in product-title order, the order kept between visits with the catalogue
version (producer_portal/stock_order.py, issue 21): a kept order is never shown after a rename or
a new product, and a visit that finds it kept does not sort the producer's records again."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from producer_portal import stock_order
from tests.producer_portal.conftest import A_EMAIL
from tests.speed.counting import products_of

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def producer(db, monkeypatch):
    monkeypatch.setattr(stock_order, "cache_is_shared", lambda: True)  # as with Redis: the order is kept
    # An earlier test's writes were rolled back, not undone by a later write: nothing of it may be kept.
    cache.clear()
    client = Client()
    client.force_login(get_user_model().objects.get(email=A_EMAIL))
    return client


def shown(client) -> list[int]:
    """The record ids of the stock page's first page, top to bottom."""
    page = client.get(reverse("dashboard:producer-stock"))
    assert page.status_code == 200
    return [int(pk) for pk in re.findall(r'data-record="(\d+)"', page.content.decode())]


def in_title_order(partner) -> list[int]:
    records = StockRecord.objects.filter(partner=partner).select_related("product")
    return [r.pk for r in sorted(records, key=lambda r: (r.product.title, r.pk))][:50]


def sorting_queries(client) -> int:
    """Queries that put all of the producer's records in title order (not the page's own 50 rows,
    which the formset reads by id)."""
    with CaptureQueriesContext(connection) as captured:
        shown(client)
    return sum('ORDER BY "catalogue_product"."title"' in q["sql"] and '"partner_stockrecord"."id" IN' not in q["sql"]
               for q in captured.captured_queries)


def test_the_rows_follow_a_rename_and_a_new_product(producer):
    coffee = Partner.objects.get(code="chieng-mai-coffee")
    assert shown(producer) == in_title_order(coffee)

    last = StockRecord.objects.get(pk=in_title_order(coffee)[-1]).product
    last.title = "Aaa cà phê đổi tên"
    last.save()
    assert shown(producer) == in_title_order(coffee) and shown(producer)[0] == last.stockrecords.get().pk

    (new,) = products_of(coffee, 1)
    new.title = "Aab sản phẩm mới"
    new.save()
    assert shown(producer) == in_title_order(coffee) and shown(producer)[1] == new.stockrecords.get().pk


def test_a_second_visit_does_not_sort_the_records_again(producer):
    assert sorting_queries(producer) == 1
    assert sorting_queries(producer) == 0


def test_without_a_shared_cache_the_page_sorts_every_time(producer, monkeypatch):
    monkeypatch.setattr(stock_order, "cache_is_shared", lambda: False)
    assert sorting_queries(producer) == 1
    assert sorting_queries(producer) == 1

"""An order must not empty the page cache (issue 21): a stock movement retires only the pages that
show it (catalog_ext.cache). An order for a product that stays in stock leaves every listing and
every other product's page served from the cache while that product's page shows its new count; an
order or a counter sale that sells a product out shows on the listing at once (its card, the
in-stock facet and filter); a Redis that loses a bump never serves a stale page.

These run with the cache shared as Redis is (one test process: its local-memory cache is as shared
as Redis would be): with a per-process cache the database fingerprint sums every stock count, so
there every order still retires every page (tests/catalog_ext/speed/test_page_cache.py)."""
from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalog_ext import cache as catalogue_cache
from catalog_ext.models import LostVersionBump
from listing import page_parts
from pos.stock import shelves_of
from shop.partner import stock as ledger
from tests.catalog_ext.speed.pages import card, listing
from tests.catalog_ext.storefront.helpers import product
from tests.catalog_ext.storefront.test_orders import place_order

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db

LISTING = "/catalogue/"
IN_STOCK = "/catalogue/?in_stock=1"
PICKER_MAX = re.compile(r'type="number" name="quantity"[^>]* max="(\d+)"')
FACET_IN_STOCK = re.compile(r'data-facet="in_stock".*?data-count="(\d+)"', re.S)
LISTING_TABLE = "catalogue_product"


@pytest.fixture(autouse=True)
def shared_cache(monkeypatch):
    """The production shape: one version every process reads (Redis). The fingerprint is then the
    lost bumps, not a scan that sums every stock count."""
    monkeypatch.setattr(catalogue_cache, "cache_is_shared", lambda: True)
    monkeypatch.setattr(page_parts, "cache_is_shared", lambda: True)
    from shop import view_counts  # product views are counted in memory: no write during a hit

    monkeypatch.setattr(view_counts, "FLUSH_SECONDS", 10**9)
    monkeypatch.setattr(view_counts, "FLUSH_VIEWS", 10**9)


def page(url, client=None) -> str:
    response = (client or Client()).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def hit(url) -> tuple[str, list[str]]:
    """The page for a new anonymous visitor and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        html = page(url)
    return html, [q["sql"] for q in queries.captured_queries]


def served_from_cache(url) -> bool:
    """Only the catalogue's state was asked (catalog_ext.cache: the highest lost bump), no listing or
    product query: the page came from the cache."""
    _html, sql = hit(url)
    return len(sql) == 1 and LISTING_TABLE not in sql[0]


def warm(*urls) -> None:
    for url in urls:
        page(url)
        page(url)
        assert served_from_cache(url), url


def picker_max(item) -> int:
    match = PICKER_MAX.search(page(item.get_absolute_url()))
    assert match, "no quantity picker: sold out?"
    return int(match.group(1))


def in_stock_count(html) -> int:
    """The in-stock facet's count (listing.filters)."""
    match = FACET_IN_STOCK.search(html)
    assert match, "no in-stock facet"
    return int(match.group(1))


def free(item) -> int:
    return StockRecord.objects.get(product=item, partner=item.producer).net_stock_level


def test_an_order_that_leaves_the_product_in_stock_keeps_the_other_pages_cached(django_capture_on_commit_callbacks):
    coffee, honey = product("CF-001"), product("MT-001")
    url = listing(coffee)
    assert free(coffee) > 2
    warm(url, IN_STOCK, honey.get_absolute_url(), coffee.get_absolute_url())
    before = picker_max(coffee)

    with django_capture_on_commit_callbacks(execute=True):  # the after-commit bumps run too
        place_order(lines=(("CF-001", 1),))

    # the listing, the in-stock filter and another product's page: still the cached copies
    for other in (url, IN_STOCK, honey.get_absolute_url()):
        assert served_from_cache(other), other
    # the product itself: its count is on its page
    assert picker_max(coffee) == before - 1 == free(coffee)
    assert served_from_cache(coffee.get_absolute_url())


def test_an_order_that_sells_the_product_out_shows_on_the_listing_at_once():
    coffee = product("CF-001")
    url = listing(coffee)
    warm(url, IN_STOCK, coffee.get_absolute_url())
    assert 'name="quantity"' in card(page(url), coffee)
    counted = in_stock_count(page(IN_STOCK))
    assert card(page(IN_STOCK), coffee) or counted > 24  # listed among the in-stock (or on a later page)

    place_order(lines=(("CF-001", free(coffee)),))  # no commit in a test: the bump at once alone

    assert 'name="quantity"' not in card(page(url), coffee)  # sold out on its card
    assert in_stock_count(page(IN_STOCK)) == counted - 1
    assert not card(page(IN_STOCK), coffee)
    assert not PICKER_MAX.search(page(coffee.get_absolute_url()))


def test_a_release_that_brings_the_product_back_shows_on_the_listing_at_once():
    coffee = product("CF-001")
    url = listing(coffee)
    order = place_order(lines=(("CF-001", free(coffee)),))
    warm(url, IN_STOCK)
    counted = in_stock_count(page(IN_STOCK))
    assert 'name="quantity"' not in card(page(url), coffee)

    ledger.release_lines(order.lines.all(), actor=None)

    assert 'name="quantity"' in card(page(url), coffee)
    assert in_stock_count(page(IN_STOCK)) == counted + 1


def test_a_counter_sale_shows_on_the_product_page_and_keeps_the_listing(client):
    from tests.pos.conftest import Counter

    counter = Counter(client)
    honey = counter.honey  # 3 units on the shelf, the rest at the producer
    url = honey.get_absolute_url()
    warm(LISTING, url)
    assert [s.on_shelf for s in shelves_of(honey)] == [3]
    assert _shelf_counts(page(url)) == [3]

    assert counter.scan(honey.upc).status_code == 200
    assert counter.complete(cash_tendered=500000).status_code == 200

    assert _shelf_counts(page(url)) == [2]  # the shelf's count, at once
    assert served_from_cache(LISTING)  # the web still sells it: no listing shows the shelf

    assert counter.scan(honey.upc, quantity=2).status_code == 200
    assert counter.complete(cash_tendered=500000).status_code == 200
    assert counter.showroom.name not in _shelves(page(url))  # sold out on the shelf: gone from the list
    assert served_from_cache(LISTING)


def _shelves(html) -> str:
    return html.split('class="ocop-product-showrooms"')[1].split("</section>")[0]


def _shelf_counts(html) -> list[int]:
    """The "(2 left)" of each showroom on the product page (shown below 5)."""
    return [int(n) for n in re.findall(r"<small>\(\D*(\d+)\D*\)</small>", _shelves(html))]


def test_only_a_flip_of_the_webs_record_bumps_the_catalogue_version():
    coffee = product("CF-001")
    record = StockRecord.objects.get(product=coffee, partner=coffee.producer)
    catalogue, stock = catalogue_cache.read_versions(coffee.pk)

    ledger.adjust(stockrecord=record, delta=-1, actor=None, reason=ledger.Reason.WRITTEN_OFF)
    after = catalogue_cache.read_versions(coffee.pk)
    assert after[0] == catalogue and after[1] != stock  # the product page's key moved, no listing's

    ledger.set_counted(stockrecord=record, counted=record.num_allocated or 0, actor=None,
                       reason=ledger.Reason.STOCKTAKE)  # sold out
    assert catalogue_cache.read_versions(coffee.pk)[0] != catalogue


def test_a_price_saved_still_bumps_the_catalogue_version():
    coffee = product("CF-001")
    record = StockRecord.objects.get(product=coffee, partner=coffee.producer)
    catalogue, _stock = catalogue_cache.read_versions(coffee.pk)
    record.price += 1000
    record.save()
    assert catalogue_cache.read_versions(coffee.pk)[0] != catalogue


class _Redis:
    """The cache as catalog_ext.cache sees it, with some calls answering as django-redis does when
    Redis is down (it ignores the failure: None, or {} for get_many)."""

    def __init__(self, real, *down):
        self._real, self._down = real, down

    def __getattr__(self, name):
        if name in self._down:
            return lambda *args, **kwargs: {} if name == "get_many" else None
        return getattr(self._real, name)


def test_a_stock_bump_redis_does_not_take_is_written_and_changes_every_key(monkeypatch):
    coffee = product("CF-001")
    warm(coffee.get_absolute_url())
    before = picker_max(coffee)
    lost = LostVersionBump.objects.count()

    with monkeypatch.context() as down:
        down.setattr(catalogue_cache, "cache", _Redis(catalogue_cache.cache, "incr", "add"))
        place_order(lines=(("CF-001", 1),))  # the product stays in stock: only its stock version is bumped

    assert LostVersionBump.objects.count() > lost  # in the order's own transaction
    # Redis is back, holding the versions it had before the order: the lost bump changes every key
    assert picker_max(coffee) == before - 1


def test_while_the_versions_cannot_be_read_no_page_is_served_from_the_cache(monkeypatch):
    coffee = product("CF-001")
    warm(coffee.get_absolute_url(), LISTING)  # the pages are in the cache
    monkeypatch.setattr(catalogue_cache, "cache", _Redis(catalogue_cache.cache, "get_many", "get", "add"))
    assert catalogue_cache.read_versions(coffee.pk) is None
    for url in (coffee.get_absolute_url(), LISTING):
        _html, sql = hit(url)
        assert any(LISTING_TABLE in q for q in sql), url  # rendered, not served from the cache


def test_a_producers_edit_that_changes_the_count_alone_keeps_the_listings():
    """The producer's stock form sets the count through the ledger and saves the price and alert
    threshold beside it, changed or not (producer_portal/forms.py)."""
    from producer_portal.forms import StockQuickForm

    coffee = product("CF-001")
    record = StockRecord.objects.get(product=coffee, partner=coffee.producer)
    catalogue, stock = catalogue_cache.read_versions(coffee.pk)
    data = {"num_in_stock": record.num_in_stock + 5, "shown_in_stock": record.num_in_stock,
            "price": int(record.price), "low_stock_threshold": 3}
    form = StockQuickForm(data, instance=record)
    assert form.is_valid(), form.errors
    form.save()
    assert catalogue_cache.read_versions(coffee.pk)[0] == catalogue
    assert catalogue_cache.read_versions(coffee.pk)[1] != stock

    data = {**data, "num_in_stock": record.num_in_stock, "shown_in_stock": record.num_in_stock,
            "price": int(record.price) + 1000}
    form = StockQuickForm(data, instance=StockRecord.objects.get(pk=record.pk))
    assert form.is_valid(), form.errors
    form.save()
    assert catalogue_cache.read_versions(coffee.pk)[0] != catalogue  # a price is on every listing

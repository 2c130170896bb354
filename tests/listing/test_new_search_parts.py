"""A search no one made before is a page cache miss: the page is rendered. Its visitor parts (the
header's account links and basket) are then drawn as a cache hit draws them, from the visitor's
kept drawing (listing.page_parts), so a basket holder's new search asks the database what an
anonymous visitor's does (issue 21: a new search at a quarter of the cached rate), and still shows
their basket as it is now."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from tests.catalog_ext.storefront.helpers import product

from .pages import _money, _page, _tools, shared_page_cache  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_page_cache")]
StockRecord = get_model("partner", "StockRecord")


def _price(item) -> Decimal:
    return StockRecord.objects.get(product=item).price


def _new_search(client, n: int) -> tuple[list[str], str]:
    """Queries and page of a search path no one asked before (same words and SQL, a new page key)."""
    with CaptureQueriesContext(connection) as captured:
        html = _page(client, f"/search/?q=ca+phe&n={n}")
    return [q["sql"].split(" WHERE ")[0] for q in captured.captured_queries], html


def test_a_basket_holders_new_search_asks_the_database_what_an_anonymous_visitors_does():
    coffee = product("CF-001")
    holder = Client()
    assert holder.post(f"/basket/add/{coffee.pk}/", {"quantity": 2}).status_code == 302
    _page(holder, "/basket/")  # the "added" message, read once
    anonymous = Client()
    # given each visitor's header drawn once (and the search's facet counts, cards and thumbnails kept)
    for n in range(0, 4, 2):
        _new_search(holder, n)
        _new_search(anonymous, n + 1)
    # when each makes a search no one made before
    anonymous_queries, _html = _new_search(anonymous, 4)
    holder_queries, html = _new_search(holder, 5)
    # then the basket holder's costs no basket, line, voucher or offer query, and their header
    # shows their basket
    assert holder_queries == anonymous_queries
    assert _money(2 * _price(coffee)) in _tools(html)


def test_a_basket_change_shows_on_the_next_new_search():
    coffee, honey = product("CF-001"), product("MT-001")
    holder = Client()
    assert holder.post(f"/basket/add/{coffee.pk}/", {"quantity": 1}).status_code == 302
    _page(holder, "/basket/")
    _queries, html = _new_search(holder, 0)
    assert _money(_price(coffee)) in _tools(html)
    # when a line is added, then a new search is made
    assert holder.post(f"/basket/add/{honey.pk}/", {"quantity": 1}).status_code == 302
    _page(holder, "/basket/")
    _queries, html = _new_search(holder, 1)
    # then its header holds the new total, not the kept one
    assert _money(_price(coffee) + _price(honey)) in _tools(html)


def test_a_basket_holders_new_search_reads_its_page_and_its_header_in_one_round_trip(monkeypatch):
    """A search no one made before, at a path served before: the page's key, the header's kept
    drawing and the versions it was drawn at are asked for together (fails on the old code: the page
    key alone, then the header's keys while rendering: two round trips)."""
    from django.core.cache import cache

    coffee = product("CF-001")
    holder = Client()
    assert holder.post(f"/basket/add/{coffee.pk}/", {"quantity": 1}).status_code == 302
    _page(holder, "/basket/")
    _new_search(holder, 0)
    _new_search(holder, 1)
    reads, inside = [], []
    get_many, get = cache.get_many, cache.get

    def counted_get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        inside.append(True)  # (a local-memory cache's get_many calls get per key: not round trips)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    def counted_get(key, *args, **kwargs):
        if not inside:
            reads.append([key])
        return get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted_get_many)
    monkeypatch.setattr(cache, "get", counted_get)
    _queries, html = _new_search(holder, 2)
    monkeypatch.undo()
    with_parts = [keys for keys in reads if any(key.startswith("ocop:part:") for key in keys)]
    assert len(with_parts) == 1 and any(key.startswith("ocop:page:") for key in with_parts[0]), reads
    assert _money(_price(coffee)) in _tools(html)

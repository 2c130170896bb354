"""A search no one made before is a page cache miss: the page is rendered. Its visitor parts (the
header's account links and basket) are then drawn as a cache hit draws them, from the visitor's
kept drawing (listing.page_parts), so a basket holder's new search asks the database what an
anonymous visitor's does (issue 21: a new search at a quarter of the cached rate), and still shows
their basket as it is now."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
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


def _cache_calls(monkeypatch):
    """Every cache read and write of the block, as (method, keys): a local-memory cache's get_many
    and set_many call get and set per key, which are not round trips and are left out."""
    from django.core.cache import cache

    calls, inside = [], []

    def spy(name, keys_of):
        real = getattr(cache, name)

        def called(*args, **kwargs):
            if not inside:
                calls.append((name, keys_of(*args)))
            inside.append(True)
            try:
                return real(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, name, called)

    for name, keys_of in (("get", lambda key, *a: [key]), ("get_many", lambda keys, *a: list(keys)),
                          ("set", lambda key, *a: [key]), ("set_many", lambda data, *a: list(data))):
        spy(name, keys_of)
    return calls


def test_a_new_search_reads_its_facets_with_the_synonyms_and_keeps_them_with_its_page(monkeypatch):
    """A new search's cache round trips besides the page's key: its stored facet combinations and
    the synonyms table in one read, its page and its combinations in one write (fails on the old
    code: a read for each and a write for each, four round trips instead of two)."""
    from listing import synonyms

    product("CF-001")
    anonymous = Client()
    _page(anonymous, "/search/?q=ca+phe&n=0")  # the synonyms table is in the cache
    calls = _cache_calls(monkeypatch)
    _page(anonymous, "/search/?q=ca+phe+son&n=1")
    monkeypatch.undo()
    touching = [(name, keys) for name, keys in calls
                if any(key.startswith("ocop:facets:") or key == synonyms.CACHE_KEY for key in keys)]
    assert len(touching) == 2, calls
    (read, read_keys), (write, written) = touching
    assert read == "get_many" and synonyms.CACHE_KEY in read_keys
    assert any(key.startswith("ocop:facets:") for key in read_keys)
    assert write == "set_many" and sorted(key.split(":")[1] for key in written) == ["facets", "page"], calls


def test_a_basket_holders_new_search_reads_its_facets_and_synonyms_with_its_page(monkeypatch):
    """A shopper with cookies: the page's key, the header's keys, the stored facet combinations and
    the synonyms table in one round trip (fails before: the combinations and synonyms were a read of
    their own), and the page and the combinations written in one."""
    from listing import synonyms

    coffee = product("CF-001")
    holder = Client()
    assert holder.post(f"/basket/add/{coffee.pk}/", {"quantity": 1}).status_code == 302
    _page(holder, "/basket/")
    _new_search(holder, 0)
    calls = _cache_calls(monkeypatch)
    html = _page(holder, "/search/?q=mat+ong")  # other words: their combinations are not stored yet
    monkeypatch.undo()
    reads = [keys for name, keys in calls if name in ("get", "get_many")]
    with_page = [keys for keys in reads if any(key.startswith("ocop:page:") for key in keys)]
    assert len(with_page) == 1, reads
    assert synonyms.CACHE_KEY in with_page[0] and any(key.startswith("ocop:facets:") for key in with_page[0])
    assert any(key.startswith("ocop:part:") for key in with_page[0])
    assert not [keys for keys in reads if keys is not with_page[0] and
                any(key.startswith("ocop:facets:") or key == synonyms.CACHE_KEY for key in keys)], reads
    writes = [keys for name, keys in calls if name in ("set", "set_many") and
              any(key.startswith(("ocop:page:", "ocop:facets:")) for key in keys)]
    assert len(writes) == 1 and sorted(key.split(":")[1] for key in writes[0]) == ["facets", "page"], writes
    assert _money(_price(coffee)) in _tools(html)


def test_the_facets_kept_with_a_new_search_serve_its_filtered_search(monkeypatch):
    """The combinations kept with the first page (after its render) are those the next search of
    the same words with a facet filter counts its facets from (it does not count them again), and
    its facet panel is the one counted afresh."""
    from django.core.cache import cache

    from shop.search import views

    product("CF-001")
    asked, real = [], views.search_results
    monkeypatch.setattr(views, "search_results", lambda *a, **k: asked.append(k["facets"]) or real(*a, **k))
    anonymous = Client()
    _page(anonymous, "/search/?q=ca+phe")
    kept = _page(anonymous, "/search/?q=ca+phe&stars=3")
    cache.clear()  # nothing kept: the filtered search counts its facets itself
    counted = _page(anonymous, "/search/?q=ca+phe&stars=3&n=1")
    assert asked == [True, False, True]
    panel = 'class="ocop-filters"'
    assert panel in kept and kept.split(panel)[1].split("</details>")[0] == counted.split(panel)[1].split("</details>")[0]


def test_what_a_render_keeps_is_stored_when_its_page_is_not(rf):
    """keep_with_page's values are written even when the page may not be stored (here: an error
    status), and at once when no page cache renders the request."""
    from django.core.cache import cache
    from django.http import HttpResponse

    from listing import page_cache

    request = rf.get("/search/?q=x")
    request.user = AnonymousUser()
    request.COOKIES = {}

    def render():
        page_cache.keep_with_page(request)("ocop:test:kept", [1, 2], page_cache.PAGE_SECONDS)
        assert cache.get("ocop:test:kept") is None  # not yet: with the page, after the render
        return HttpResponse("gone", status=404)

    response = page_cache.serve(request, render)
    assert response.status_code == 404
    assert cache.get("ocop:test:kept") == [1, 2]
    other = rf.get("/")
    page_cache.keep_with_page(other)("ocop:test:now", 3, 60)
    assert cache.get("ocop:test:now") == 3

"""A search matching more than SEARCH_CAP products lists its newest SEARCH_CAP matches, best first,
says "more than N products", pages within them and counts its facets over them; a search with
fewer matches is listed, counted and ranked exactly as every match (listing.best_matches).

The cap is lowered here (the demo catalogue has a few dozen products; the real cap is 1,000)."""
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from listing import best_matches
from listing.products import browsable_products
from listing.ranking import SearchQuery, search

from .helpers import add_products, facet, listed

pytestmark = pytest.mark.django_db




@pytest.fixture
def cap(monkeypatch):
    def lower(n):
        monkeypatch.setattr(best_matches, "SEARCH_CAP", n)
        return n
    return lower


def ranked_titles(text, *, among=None) -> list[str]:
    """Every match of `text` by relevance (ties newest first), as the ORM ranks them."""
    results = search(browsable_products(), SearchQuery.parse(text))
    if among is not None:
        results = results.filter(pk__in=among)
    return [p.title for p in results.order_by("-relevance", "-date_created", "-pk")]


def newest_match_ids(text, n) -> list[int]:
    results = search(browsable_products(), SearchQuery.parse(text))
    return list(results.order_by("-date_created", "-pk").values_list("pk", flat=True)[:n])


def count_text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.split('class="ocop-toolbar__count"')[1].split("</p>")[0][1:])).strip()


@pytest.mark.parametrize("text", ["ca phe son la", "che shan tuyet", "xoai yen chau", "chieng mai", "mat ong",
                                  "gao nep tan", "ca phe", "che"])
def test_under_the_cap_a_search_lists_every_match_in_full_relevance_order(client, text):
    # given the demo catalogue (the real cap, 1,000, is far above its matches)
    response = client.get("/search/", {"q": text})
    # then page 1 is the top of the full ranking, and the count is exact
    expected = ranked_titles(text)
    assert [p.title for p in response.context["page_obj"].object_list] == expected[:24]
    assert response.context["paginator"].count == len(expected)
    assert response.context["more_than"] is None
    assert "ocop-toolbar__cap" not in response.content.decode()


def test_over_the_cap_the_newest_matches_are_listed_best_first(client, cap):
    # given more coffee products than the cap
    add_products(30, title="Cà phê thử nghiệm")
    limit = cap(33)  # the 30 new ones and the 3 newest of the demo's, which rank differently
    # when a shopper searches for coffee
    everything = listed(client, "/search/?q=ca+phe")
    # then they see the newest 33 matches, ranked among themselves, page after page
    candidates = newest_match_ids("ca phe", limit)
    assert [p.title for p in everything] == ranked_titles("ca phe", among=candidates)
    assert len(everything) == limit < len(ranked_titles("ca phe"))


def test_over_the_cap_the_count_says_more_than_the_cap(client, cap):
    add_products(30, title="Cà phê thử nghiệm")
    cap(25)
    response = client.get("/search/?q=ca+phe")
    assert response.context["more_than"] == 25
    assert count_text(response).startswith("Hơn 25 sản phẩm")
    assert "Chỉ liệt kê 25 sản phẩm khớp mới nhất" in response.content.decode()
    assert "Số lượng đếm trên 25 sản phẩm khớp mới nhất" in response.content.decode()
    english = client.get("/search/?q=ca+phe&lang=en")
    assert count_text(english).startswith("More than 25 products")


def test_at_the_cap_exactly_the_count_is_exact(client, cap):
    exact = len(ranked_titles("ca phe"))
    cap(exact)
    response = client.get("/search/?q=ca+phe")
    assert response.context["more_than"] is None
    assert response.context["paginator"].count == exact


def test_the_cap_is_written_with_the_language_s_thousands_separator():
    context = {"more_than": 1000, "paginator": None, "sort_options": []}
    with translation.override("vi"):
        assert "Hơn 1.000</strong> sản phẩm" in render_to_string("ocop/find/toolbar.html", context)
    with translation.override("en"):
        assert "More than 1,000</strong> products" in render_to_string("ocop/find/toolbar.html", context)


def test_pages_beyond_the_cap_are_refused_with_the_invalid_page_message(client, cap):
    add_products(30, title="Cà phê thử nghiệm")
    cap(25)
    assert len(client.get("/search/?q=ca+phe&page=2").context["page_obj"].object_list) == 1
    response = client.get("/search/?q=ca+phe&page=3", follow=True)
    assert response.redirect_chain[0][0] == "/search/?q=ca+phe"
    with translation.override("vi"):
        assert [str(m) for m in response.context["messages"]] == [gettext("The given page number was invalid.")]


def test_over_the_cap_facets_count_the_listed_products(client, cap):
    # given 30 new 4-star coffees and the demo's coffees, over a cap of 25
    add_products(30, title="Cà phê thử nghiệm")
    cap(25)
    response = client.get("/search/?q=ca+phe")
    listed_products = listed(client, "/search/?q=ca+phe")
    # then each facet counts the products listed, not every match
    by_group: dict[str, int] = {}
    for product in listed_products:
        by_group[product.ocop_group] = by_group.get(product.ocop_group, 0) + 1
    assert facet(response, "group") == by_group
    assert facet(response, "stars")["3"] == sum(1 for p in listed_products if (p.badge_stars or 0) >= 3)


def test_over_the_cap_a_facet_filter_counts_the_other_facets_before_that_filter(client, cap):
    # given more coffee than the cap, and a shopper who picked 4 stars and above
    add_products(30, title="Cà phê thử nghiệm")
    limit = cap(25)
    response = client.get("/search/?q=ca+phe&stars=4")
    # then the group counts are those of the newest 25 matches (before the stars filter) with 4 stars
    before_filter = set(newest_match_ids("ca phe", limit))
    four_stars = [p for p in listed(client, "/search/?q=ca+phe&stars=4") if p.pk in before_filter]
    by_group: dict[str, int] = {}
    for product in four_stars:
        by_group[product.ocop_group] = by_group.get(product.ocop_group, 0) + 1
    assert facet(response, "group") == by_group
    # and the list itself is filtered first, then capped: every 4-star match is a candidate
    assert all((p.badge_stars or 0) >= 4 for p in listed(client, "/search/?q=ca+phe&stars=4"))

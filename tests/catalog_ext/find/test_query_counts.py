"""A page of 24 cards costs the same number of queries whatever the size of the catalogue."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from .helpers import add_products

Category = get_model("catalogue", "Category")
pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)  # warm up: session, thumbnails' key-value store
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [
    "/catalogue/",
    "/catalogue/?stars=3&sort=price_asc",
    "CATEGORY",
    "CATEGORY?stars=4&in_stock=1",
    "/search/?q=ca+phe",
    "/search/?q=ca+phe&group=beverage&sort=stars",
])
def test_listing_queries_do_not_grow_with_the_catalogue(client, django_assert_num_queries, url):
    url = url.replace("CATEGORY", Category.objects.get(name="Cà phê").get_absolute_url())
    # given the demo catalogue
    demo = _count(client, url)
    # when 30 more coffee products arrive (more than a page of 24 matches everywhere)
    add_products(30, title="Cà phê thử nghiệm")
    client.get(url)
    # then the same page costs the same queries
    with django_assert_num_queries(demo):
        response = client.get(url)
    assert response.context["paginator"].count > 24
    assert len(response.context["page_obj"].object_list) == 24


def test_suggestions_cost_a_constant_number_of_queries(client, django_assert_num_queries):
    demo = _count(client, "/search/suggest/?q=ca+phe")
    add_products(30, title="Cà phê thử nghiệm")
    client.get("/search/suggest/?q=ca+phe")
    with django_assert_num_queries(demo):
        assert len(client.get("/search/suggest/?q=ca+phe").json()["results"]) == 8


@pytest.mark.parametrize("url", ["/search/?q=ca+phe", "/search/?q=ca+phe&stars=3&sort=price_asc"])
def test_a_search_over_its_cap_costs_the_queries_of_one_under_it(client, django_assert_num_queries, monkeypatch, url):
    from listing import best_matches

    # given a search under the cap (without and with a facet filter: its facets then take their
    # own candidates, inside the one facet query)
    under = _count(client, url)
    assert client.get(url).context["more_than"] is None
    # when the catalogue grows past the cap (lowered from 1,000 for the demo)
    add_products(30, title="Cà phê thử nghiệm")
    monkeypatch.setattr(best_matches, "SEARCH_CAP", 25)
    client.get(url)
    # then the capped page costs the same queries
    with django_assert_num_queries(under):
        response = client.get(url)
    assert response.context["more_than"] == 25
    assert len(response.context["page_obj"].object_list) == 24

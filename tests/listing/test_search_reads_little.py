"""What a search no one made before and a page's cards cost the web process (issue 21): on
PostgreSQL a search's candidates are ordered and counted by the database (one row back per query,
whatever the number of matches), and a page's card facts are read by queries compiled once."""
import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from listing import best_matches
from listing.filters import Filters
from listing.ranking import SearchQuery
from listing.search_results import search_results
from tests.catalog_ext.find.helpers import add_products

pytestmark = pytest.mark.django_db
SORTS = ("relevance", "newest", "stars", "price_asc", "price_desc")


def _rows_per_query(run) -> list[tuple[int, str]]:
    """(rows returned, SQL) of every query `run` makes."""
    seen = []

    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        seen.append((context["cursor"].rowcount, sql))
        return result

    with connection.execute_wrapper(record):
        run()
    return seen


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL orders and counts the candidates")
@pytest.mark.parametrize("query_string", ["sort=relevance", "sort=price_asc", "stars=3&sort=stars",
                                          "price_max=500000&sort=newest"])
def test_a_search_gets_one_row_back_per_query_whatever_it_matches(monkeypatch, query_string):
    # given more matches than a page's cap (12 over a cap of 5)
    add_products(12, title="Cà phê đọc ít")
    monkeypatch.setattr(best_matches, "SEARCH_CAP", 5)
    filters = Filters.parse(QueryDict(query_string), default_sort="relevance", sorts=SORTS)
    results = []
    seen = _rows_per_query(lambda: results.append(search_results(SearchQuery.parse("ca phe"), filters, facets=True)))
    # then the page still has its 5 candidates, more beyond them, and facet counts
    assert results[0].best.count == 5 and results[0].best.more and results[0].combos
    # and no query over the products sent the candidates' rows to Python: one row each
    # (before, the candidates' query returned cap + 1 rows of a dozen columns)
    candidates = [(rows, sql) for rows, sql in seen if "search_vector" in sql]
    assert candidates and all(rows == 1 for rows, _sql in candidates), [(r, s[:120]) for r, s in candidates]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compiled once on PostgreSQL")
def test_a_pages_card_facts_are_read_by_queries_compiled_once(rf, monkeypatch):
    from django.db.models.sql import compiler

    from listing.cards import card_facts, listed_facts
    from listing.products import browsable_products

    request = rf.get("/")
    products = list(browsable_products())
    listed_facts([products[0].pk], request)  # the first page of the day compiles them
    compiled = []
    real = compiler.SQLCompiler.as_sql
    monkeypatch.setattr(compiler.SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or real(self, *a, **k))
    # when pages of one product and of every product read their cards' facts
    with CaptureQueriesContext(connection) as one:
        one_facts = listed_facts([products[1].pk], request)
    with CaptureQueriesContext(connection) as every:
        every_facts = listed_facts([p.pk for p in products], request)
    # then each sends the same three queries together (one round trip: they were three, issue 21),
    # none compiled again, and the facts are each card's own
    assert len(one) == len(every) == 1
    assert one[0]["sql"].count("SELECT") == every[0]["sql"].count("SELECT") >= 3
    for table in ("catalogue_product", "partner_stockrecord", "catalogue_productimage"):
        assert f'FROM "{table}"' in every[0]["sql"]
    assert not compiled
    assert one_facts == {products[1].pk: card_facts(products[1], request)}
    assert every_facts == {p.pk: card_facts(p, request) for p in products}

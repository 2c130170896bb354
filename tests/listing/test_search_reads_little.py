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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL")
def test_a_pages_card_facts_are_planned_once_per_connection_by_the_server(rf):
    """The three facts statements are prepared on the server (listing.compiled._prepared_cursor):
    after its first plans PostgreSQL runs each page's ids through one generic plan instead of
    planning the six-table products statement again (fails on the old code: nothing prepared)."""
    from listing.cards import card_facts, listed_facts
    from listing.products import browsable_products

    request = rf.get("/")
    products = list(browsable_products())
    pages = [[p.pk for p in products[n:n + 3]] for n in range(0, len(products), 3)] * 4
    # when page after page reads its cards' facts (small ids: still one statement each, int4[])
    for ids in pages:
        facts = listed_facts(ids, request)
        # then every page's facts are still each card's own
        assert facts == {p.pk: card_facts(p, request) for p in products if p.pk in ids}
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans, parameter_types::text[]"
                       " FROM pg_prepared_statements WHERE NOT from_sql AND statement LIKE '%%= ANY($%%'")
        prepared = [row[:3] for row in cursor.fetchall() if "integer[]" in row[3]]
    # and the connection holds the three statements, once each (the ids an integer[] whatever
    # their values), run len(pages) times in all
    tables = sorted(t for t in ("catalogue_product", "partner_stockrecord", "catalogue_productimage")
                    for statement, _generic, _custom in prepared if f'FROM "{t}"' in statement)
    assert tables == ["catalogue_product", "catalogue_productimage", "partner_stockrecord"], prepared
    assert all(generic + custom >= len(pages) for _s, generic, custom in prepared), prepared
    # and the server stopped planning them: a generic plan serves the later pages
    assert all(generic > 0 for _s, generic, _custom in prepared), prepared
    # and an execute wrapper still sees one query and its cursor (rows of the first statement)
    seen = _rows_per_query(lambda: listed_facts(pages[0], request))
    assert [rows for rows, _sql in seen] == [len(pages[0])]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL")
def test_a_card_facts_error_is_djangos_and_the_connection_goes_on(rf, monkeypatch):
    """A failing prepared statement raises Django's DatabaseError (the pipeline's error is mapped
    as any query's) and the next page's facts are read on the same connection."""
    from django.db import DatabaseError, transaction

    from listing import cards
    from listing.cards import card_facts, listed_facts
    from listing.compiled import Compiled
    from listing.products import browsable_products

    request = rf.get("/")
    products = list(browsable_products())
    queries = dict(cards._facts_of_the_day())
    broken = Compiled(queries["images"].make, table="catalogue_productimage", column="product_id",
                      field="product_id__in")
    db, sql, params = queries["images"]._sql()
    broken._compiled = (db, sql.replace("SELECT", "SELECT 1 / 0 AS oops,", 1), params)
    monkeypatch.setitem(cards._facts_query, next(iter(cards._facts_query)), {**queries, "images": broken})
    with pytest.raises(DatabaseError), transaction.atomic():
        listed_facts([products[0].pk], request)
    monkeypatch.setitem(cards._facts_query, next(iter(cards._facts_query)), queries)
    assert listed_facts([products[0].pk], request) == {products[0].pk: card_facts(products[0], request)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL")
def test_a_searchs_statement_is_planned_once_per_connection_and_answers_as_before():
    """A search's one statement (listing.search_rows.read) is prepared on the server and served by
    one generic plan (settings: plan_cache_mode): planning its text took as long as running it for
    most searches. Its numbers (LIMIT, the cap) are written in its text, so the generic plan knows
    them; with them as parameters it guessed a tenth of the rows and walked the date index past
    every row for a search that matched nothing. Fails on the old code: nothing prepared."""
    add_products(7, title="Trà zolu kiwem tarpa")
    filters = Filters.parse(QueryDict("sort=relevance"), default_sort="relevance", sorts=SORTS)
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
    # when the same shape of search is asked with other words, some matching and some not
    answers = {words: search_results(SearchQuery.parse(words), filters, facets=True)
               for words in ("zolu kiwem", "kiwem tarpa", "tarpa zolu ki", "zolu arabica", "tra tarpa")}
    # then each finds what its words match (a prefix as its last word: "ki" stands for "kiwem")
    assert [answers[w].best.count for w in ("zolu kiwem", "kiwem tarpa", "tarpa zolu ki", "tra tarpa")] == [7] * 4
    assert answers["zolu arabica"].ids == ()  # both words known, never together
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
                       " WHERE NOT from_sql AND statement LIKE '%%listing_searchrow%%'")
        prepared = cursor.fetchall()
    # and the connection prepared the statements and planned none of them for its values
    assert prepared and all(custom == 0 and generic >= 1 for _s, generic, custom in prepared), prepared
    assert sum(generic for _s, generic, _c in prepared) >= len(answers)
    assert all("LIMIT 1001" in statement and "LIMIT $" not in statement for statement, _g, _c in prepared)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lexeme set is PostgreSQL's")
@pytest.mark.parametrize("word", ["xqz", "xq9", "xqa"])
def test_a_last_words_prefix_stands_for_exactly_the_lexemes_under_it(word):
    """The prefix's lexemes are read by an index range spelt out ([word, the next word), the column
    COLLATE "C") before LIKE: a word ending in z or 9 still reaches every lexeme under it, and none
    beside it (the search's own EXPANDED, asked alone)."""
    from listing.search_rows import EXPANDED, expansion

    under = [word, word + "9", word + "a", word + "zz", word + "~"]
    beside = [word[:-1], word[:-1] + chr(ord(word[-1]) + 1), word[:-1] + chr(ord(word[-1]) - 1) + "z"]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO listing_searchlexeme (lexeme) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                       [under + beside])
        cursor.execute(f"SELECT ({EXPANDED})::text", {"tsquery": f"'{word}':*", **expansion(f"'{word}':*")})
        rewritten = cursor.fetchone()[0]
    # then the query asks exactly the lexemes under the prefix, each as an exact word
    assert sorted(rewritten.replace("'", "").split(" | ")) == sorted(under), rewritten

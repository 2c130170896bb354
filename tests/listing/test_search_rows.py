"""PostgreSQL keeps a narrow search table (migration listing 0004, listing.search_rows): after every
kind of write to products, badge periods (certificates, licences), stock records and product
classes, each browsable product's row says what the catalogue says (the audit compares it with
the ORM's answers), in the transaction of the write; a row whose badge stretch midnight has
passed is read through the badge periods, so the search is exact without a task; and the
search's SQL keeps every word a bound parameter."""
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.models import Certificate
from listing import best_matches, search_rows
from listing.filters import Filters
from listing.ranking import SearchQuery
from listing.search_results import search_results
from shop.partner import stock
from tests.catalog_ext.find.helpers import add_products
from tests.listing.test_search_results import SORTS, _bag, reference

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def assert_exact():
    assert search_rows.audit() == []


def rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM listing_searchrow")
        return cursor.fetchone()[0]


def test_the_demo_catalogue_is_in_the_table():
    assert rows() == Product.objects.browsable().count() > 0
    assert_exact()


def test_every_write_keeps_the_table_exact():
    # products made as a producer makes them (record, certificate), and in bulk
    first, second = add_products(2, title="Mật ong bạc hà thử")
    assert_exact()
    Product.objects.bulk_create([Product(title="Chè shan tuyết thử", ocop_group="beverage", upc="BULK-1",
                                         product_class=ProductClass.objects.first())])
    assert_exact()
    # a title saved, a title and group updated in bulk, a product hidden, shown again, made a child
    first.title = "Mật ong hoa cà phê thử"
    first.save()
    Product.objects.filter(pk=second.pk).update(title="Tên mới", search_text="ten moi", ocop_group="food")
    assert_exact()
    Product.objects.filter(pk=second.pk).update(is_public=False)
    assert_exact()
    Product.objects.filter(pk=second.pk).update(is_public=True, parent=first)
    assert_exact()
    Product.objects.filter(pk=second.pk).update(parent=None)
    assert_exact()
    # stock: sold out by the ledger, allocated, back in, a record of another partner, moved, deleted
    record = StockRecord.objects.get(product=first)
    stock.set_counted(stockrecord=record, counted=0, actor=None, reason=stock.Reason.STOCKTAKE)
    assert_exact()
    stock.adjust(stockrecord=record, delta=3, actor=None, reason=stock.Reason.STOCKTAKE)
    StockRecord.objects.filter(pk=record.pk).update(num_allocated=3)
    assert_exact()
    other = Partner.objects.exclude(pk=first.producer_id).first()
    shelf = StockRecord.objects.create(product=first, partner=other, partner_sku="SHELF-X", price=1000, num_in_stock=9)
    first.producer = None  # no producer: the first record is the web's
    first.save()
    assert_exact()
    record.delete()  # now the shelf's record is the first
    assert_exact()
    StockRecord.objects.filter(pk=shelf.pk).update(product=second)
    assert_exact()
    # a class that stops tracking stock sells what it has not got
    untracked = ProductClass.objects.create(name="Dịch vụ thử", track_stock=True)
    Product.objects.filter(pk=first.pk).update(product_class=untracked)
    ProductClass.objects.filter(pk=untracked.pk).update(track_stock=False)
    assert_exact()
    # badges: a new certificate, a revocation, a deletion; a producer moved to another commune
    certificate = Certificate.objects.create(product=second, stars=5, score=93, level="central", issuer="Bộ NN&MT",
                                             number="TEST-SR", issued_on=rules.today())
    assert_exact()
    certificate.revoke(reason="kiểm thử")
    assert_exact()
    certificate.delete()
    assert_exact()
    # deleted: the row goes with the product
    Product.objects.filter(pk__in=[first.pk, second.pk]).delete()
    assert_exact()


def test_the_audit_finds_a_drifted_row_and_fix_writes_it_again():
    product = Product.objects.browsable().order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE listing_searchrow SET in_stock = NOT in_stock, search_text = 'x' WHERE product_id = %s",
                       [product.pk])
        cursor.execute("DELETE FROM listing_searchrow WHERE product_id = (SELECT max(product_id) FROM listing_searchrow)")
    differences = search_rows.audit()
    assert {(pk, column) for pk, column, *_ in differences} >= {(product.pk, "in_stock"), (product.pk, "search_text")}
    assert any(column == "row" for _, column, *_ in differences)
    with pytest.raises(CommandError, match="differences"):
        call_command("search_rows_audit", stdout=io.StringIO())
    out = io.StringIO()
    call_command("search_rows_audit", "--fix", stdout=out)
    assert "matches the catalogue" in out.getvalue()


def test_a_row_written_before_midnight_is_read_through_the_badge_periods():
    # given rows whose badge stretch ended yesterday and which say 1 star (as if midnight had
    # crossed a certificate's expiry since they were written)
    yesterday = rules.today() - dt.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE listing_searchrow SET stars = 1, gi_ok = NOT gi_ok, badge_until = %s", [yesterday])
    # then today's badges are still the periods' own, for the audit and for every search
    assert_exact()
    filters = Filters.parse(QueryDict("stars=3&sort=stars"), default_sort="relevance")
    results = search_results(SearchQuery.parse("ca phe"), filters, facets=True)
    assert results.ids
    assert all(c["badge_stars"] != 1 for c in results.combos)


def test_the_words_reach_the_search_sql_as_parameters():
    # hostile input is cut to letters and digits, and even those never become SQL text
    query = SearchQuery.parse("zqxjca'phe\"; DROP TABLE zqxjtab; -- zqxj1=1 %s %(zqxjx)s")
    filters = Filters.parse(QueryDict("stars=3&price_max=150000&sort=relevance"), default_sort="relevance")
    with CaptureQueriesContext(connection):
        search_results(query, filters, facets=True)
    marked = [word for word in query.words if word.startswith("zqxj")]
    assert len(marked) == 4
    assert not [sql for sql in search_rows._sql_of_shape.values() if any(word in sql for word in marked)]
    assert rows() > 0  # the table is still there


def test_the_sql_is_written_once_per_shape():
    search_rows._sql_of_shape.clear()
    filters = Filters.parse(QueryDict("stars=3&sort=price_asc&price_max=150000"), default_sort="relevance")
    for words in ("ca phe", "mat ong", "che shan", "moc chau"):
        search_results(SearchQuery.parse(words), filters, facets=True)
    two_words = len(search_rows._sql_of_shape)
    search_results(SearchQuery.parse("ca phe son la"), filters, facets=True)
    assert len(search_rows._sql_of_shape) == two_words  # the order is by price: the words do not shape it


def test_a_search_with_facet_filters_over_the_cap_is_one_query(monkeypatch):
    # the probe (relevance order), the candidates before the facet filters (their facet counts)
    # and the page's candidates: three passes over the matches before, one query now
    from listing import best_matches

    monkeypatch.setattr(best_matches, "SEARCH_CAP", 5)
    filters = Filters.parse(QueryDict("stars=3&price_max=500000"), default_sort="relevance")
    search_results(SearchQuery.parse("ca phe"), filters, facets=True)  # synonyms read once
    with CaptureQueriesContext(connection) as captured:
        results = search_results(SearchQuery.parse("ca phe"), filters, facets=True)
    assert results.best.more and results.combos
    assert len(captured) == 1
    assert "catalogue_product" not in captured.captured_queries[0]["sql"]  # the narrow rows alone


def _words_that_match_nothing_together() -> str:
    """Two words the vocabulary knows that no product has both of."""
    from catalog_ext.models import SearchWord
    from listing.ranking import terms

    words = list(SearchWord.objects.filter(word__regex=r"^[a-z]{3,}$").order_by("word").values_list("word", flat=True))
    for first in words:
        for second in reversed(words):
            query = SearchQuery.parse(f"{first} {second}")
            if first != second and len(query.words) == 2 and search_rows.probe(terms(query)[1], 1) == 0:
                return f"{first} {second}"
    raise AssertionError("every pair of words matches")


def _without_the_fallbacks_in_the_statement(monkeypatch):
    real = search_rows.read
    monkeypatch.setattr(search_rows, "read", lambda **kw: real(**{**kw, "probe_if_empty": None, "vocabulary_of": None}))


@pytest.mark.parametrize("query_string", ["", "sort=newest", "stars=3&price_max=150000",
                                          "stars=3&sort=price_asc&price_max=150000", "sort=newest&price_max=1",
                                          "stars=3&sort=price_asc&price_max=1"])
@pytest.mark.parametrize("words", ["nothing", "ca phee", "ca phe"])
def test_the_fallbacks_questions_ride_in_the_searchs_statement(monkeypatch, query_string, words):
    """When the search reads nothing, its own statement also answers what the typo fallback asks
    (how many products match the words at all, which words the vocabulary knows): a search that
    matches nothing is one query on PostgreSQL (two or three before), a typo one less, and a search
    with results runs neither (the subqueries sit in a CASE branch PostgreSQL never takes). The
    answers are those of the queries they replace."""
    words = _words_that_match_nothing_together() if words == "nothing" else words
    filters = Filters.parse(QueryDict(query_string), default_sort="relevance")
    search_results(SearchQuery.parse("ca phe"), filters, facets=True)  # synonyms read once
    with CaptureQueriesContext(connection) as now:
        results = search_results(SearchQuery.parse(words), filters, facets=True)
    _without_the_fallbacks_in_the_statement(monkeypatch)
    with CaptureQueriesContext(connection) as before:
        asked_apart = search_results(SearchQuery.parse(words), filters, facets=True)
    assert results == asked_apart
    if words == "nothing":
        assert not results.ids and len(now) == 1 < len(before)
    elif words == "ca phee":
        assert len(now) < len(before)  # the corrected search ("ca phe") is a query of its own
    elif results.ids:
        assert len(now) == len(before) == 1


@pytest.mark.parametrize("query_string", ["sort=newest", "stars=3&sort=price_asc&price_max=150000"])
def test_an_empty_search_probes_its_words_again_only_when_a_word_may_be_corrected(query_string):
    """A filtered search that reads nothing asks in its statement how many products its words
    match (the typo fallback's question) only when a word of it is not in the vocabulary: with
    every word known there is nothing to correct, the page is empty either way, and the words'
    index scan is not made twice (search_results._filtered_table)."""
    from listing.ranking import terms

    filters = Filters.parse(QueryDict(query_string), default_sort="relevance")
    known = SearchQuery.parse(_words_that_match_nothing_together())
    typo = SearchQuery.parse("ca phee")
    for query, probed in ((known, None), (typo, 0)):
        scored, tsquery = terms(query)
        read = search_rows.read(
            tsquery=tsquery, scored=scored, filters=search_rows.filter_values(filters.without_facets()),
            kept=search_rows.filter_values(filters) if filters.without_facets() != filters else None,
            order_by='"date_created" DESC, "pk" DESC', facets=True, cap=5, limit=6, today=rules.today(),
            probe_if_empty=501, vocabulary_of=scored)
        assert (read.matched, read.probed_if_empty) == (0, probed), query
        assert read.vocabulary is not None
        # and the page is the same as with the probe asked apart
        assert search_results(query, filters, facets=True) == _asked_apart(query, filters)


def _asked_apart(query, filters):
    real = search_rows.read
    search_rows.read = lambda **kw: real(**{**kw, "probe_if_empty": None, "vocabulary_of": None})
    try:
        return search_results(query, filters, facets=True)
    finally:
        search_rows.read = real


def in_the_set(*words) -> set:
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM listing_searchlexeme WHERE lexeme = ANY(%s)", [list(words)])
        return {lexeme for (lexeme,) in cursor.fetchall()}


def test_the_lexeme_set_holds_every_lexeme_of_the_vectors_after_every_write():
    # given two products with words no other product has, saved, renamed, stock flipped, hidden, deleted
    first, second = add_products(2, title="Mứt qzwx 777")
    assert in_the_set("qzwx", "777") == {"qzwx", "777"}
    first.title = "Mứt khác 777"
    first.save()
    assert in_the_set("khac") == {"khac"}
    assert search_rows.lexeme_differences() == []
    StockRecord.objects.filter(product=second).update(num_allocated=5)
    Product.objects.filter(pk=second.pk).update(is_public=False)
    Product.objects.filter(pk=second.pk).update(is_public=True)
    assert search_rows.lexeme_differences() == []
    Product.objects.filter(pk=first.pk).delete()
    # then the set is a superset: the lexemes of the products gone stay, stale and harmless
    assert search_rows.lexeme_differences() == []
    assert in_the_set("qzwx", "777", "khac") == {"qzwx", "777", "khac"}
    Product.objects.filter(pk=second.pk).delete()
    assert search_rows.stale_lexemes() >= 3


def test_a_deleted_products_lexeme_left_in_the_set_changes_no_search():
    # given a product whose words only it had, deleted: its lexemes stay in the set
    product, = add_products(1, title="Mật ong qzvb")
    Product.objects.filter(pk=product.pk).delete()
    assert in_the_set("qzvb") == {"qzvb"}
    # then the searches whose last word stands for it find what the slow path (the prefix over
    # the product table) finds: nothing for the word, the same products with it left out
    for text in ("qzvb", "qzv", "mat ong qz", "ong qzv", "qz"):
        filters = Filters.parse(QueryDict("sort=relevance"), default_sort="relevance", sorts=SORTS)
        results = search_results(SearchQuery.parse(text), filters, facets=True)
        assert (list(results.ids), results.best.count, results.best.more, _bag(results.combos)) == reference(
            text, "sort=relevance", best_matches.SEARCH_CAP), text
    assert search_results(SearchQuery.parse("mat ong qzv"), Filters.parse(QueryDict("")), facets=True).ids == ()


def test_the_audit_fails_on_a_missing_lexeme_counts_the_stale_and_fix_makes_the_set_exact():
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO listing_searchlexeme VALUES ('qzqz'), ('qzqy')")
    # a lexeme no vector holds: not a difference, counted
    assert search_rows.audit() == []
    assert search_rows.stale_lexemes() == 2
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM listing_searchlexeme WHERE lexeme = 'ong'")
    assert [column for _, column, *_ in search_rows.audit()] == ["lexeme 'ong'"]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("search_rows_audit", stdout=out)
    assert "lexeme 'ong'" in out.getvalue() and "2 lexemes of the lexeme set in no vector" in out.getvalue()
    out = io.StringIO()
    call_command("search_rows_audit", "--fix", stdout=out)
    assert "matches the catalogue" in out.getvalue() and out.getvalue().startswith("0 lexemes of the lexeme set")
    assert in_the_set("qzqz", "qzqy", "ong") == {"ong"}


@pytest.mark.parametrize(("tsquery", "exact"), [
    ("'ca' & 'ph':*", "'ca' & 'ph'"),
    ("(('cafe':*) | ('ca' & 'phe'))", "(('cafe') | ('ca' & 'phe'))"),
    ("(('cafe') | ('ca' & 'phe')) & 'ca':*", None),  # 'ca' twice: ts_rewrite would rewrite both
    ("'ca' & 'ca':*", None),
    ("'ca' & 'phe'", None),  # no prefix
    ("'caf\u00e9':*", None),  # not plain ASCII
])
def test_the_last_word_is_expanded_only_when_the_rewrite_is_exact(tsquery, exact):
    expanded = search_rows.expansion(tsquery)
    assert (expanded and expanded["tsquery_exact"]) == exact


def matched_as(tsquery: str) -> set:
    """The tsquery a search's GIN scan gets for this raw one (search_rows.EXPANDED): its AND's parts."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({search_rows.EXPANDED})::text", {"tsquery": tsquery, **search_rows.expansion(tsquery)})
        return set(cursor.fetchone()[0].split(" & "))


def test_the_last_word_is_asked_as_the_words_starting_with_it():
    # given words under "qz": one, then several (one needing quotes: the table is trusted as it
    # is), then more than a search expands
    add_products(1, title="Mứt qzb")
    assert matched_as("'mut' & 'qz':*") == {"'mut'", "'qzb'"}
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO listing_searchlexeme VALUES (%s)", ["qzc'\\x"])
    assert matched_as("'mut' & 'qz':*") == {"'mut'", "( 'qzb' | 'qzc''\\\\x' )"}
    # none: the word exact, which no vector holds either
    assert matched_as("'mut' & 'qzz':*") == {"'mut'", "'qzz'"}
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO listing_searchlexeme SELECT 'qz' || n FROM generate_series(1, %s) AS n",
                       [search_rows.EXPAND_LIMIT])
    assert matched_as("'mut' & 'qz':*") == {"'mut'", "'qz':*"}


def test_a_search_asks_the_words_starting_with_its_last_one():
    with CaptureQueriesContext(connection) as captured:
        results = search_results(SearchQuery.parse("ca ph"), Filters.parse(QueryDict("")), facets=True)
    statement = next(q["sql"] for q in captured.captured_queries if q["sql"].startswith("WITH"))
    assert "listing_searchlexeme" in statement
    assert results.ids

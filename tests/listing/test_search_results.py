"""A search page's results (listing.search_results: one to three queries, order and facets worked
out in Python) are exactly what ranking every candidate in SQL gives: same products, same order
for every sort, same count, same facet combinations, over the cap and under it, with synonyms,
typos and filters. And a search no one made before costs the same queries whatever it matches."""
import uuid

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalog_ext.cache import catalogue_changed
from listing import best_matches
from listing.filters import Filters, sellable_here, sellable_records
from listing.products import browsable_products
from listing.ranking import SearchQuery, matching
from listing.search_results import search_results
from tests.catalog_ext.find.helpers import add_products

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")

SORTS = ("relevance", "newest", "stars", "price_asc", "price_desc")
WORDS = ("ca phe", "che", "mat ong", "cafe", "son la", "arabca", "xyzzy", "ca")
FILTERS = ("", "stars=3", "stars=4&group=beverage", "price_max=200000", "price_min=100000&stars=3", "in_stock=1",
           "group=food", "gi=ca-phe-son-la", "gi=ca-phe-son-la&stars=4&in_stock=1")


def newest(matches, cap):
    return matches.order_by("-date_created", "-pk").values_list("pk", flat=True)[:cap]


def reference(text, query_string, cap):
    """The page as ranked in SQL before listing.search_results (the view's former queries): the
    newest `cap` matches of the filters, ranked by the ORM, facets counted by its GROUP BY."""
    filters = Filters.parse(QueryDict(query_string), default_sort="relevance", sorts=SORTS)
    matches, relevance = matching(browsable_products(), SearchQuery.parse(text))
    best = list(newest(filters.apply(matches), cap + 1))
    candidates = browsable_products().filter(pk__in=best[:cap]).annotate(relevance=relevance)
    ids = list(filters.sort_queryset(candidates).values_list("pk", flat=True))
    base = filters.without_facets()
    among = best[:cap] if base == filters else list(newest(base.apply(matches), cap))
    combos = filters.facet_combos(browsable_products(), among=among)
    return ids, len(best[:cap]), len(best) > cap, _bag(combos)


def _bag(combos):
    return sorted(tuple(sorted((k, str(v)) for k, v in c.items())) for c in combos)


@pytest.mark.parametrize("cap", [1000, 5])
@pytest.mark.parametrize("sort", SORTS)
def test_every_search_lists_counts_and_facets_as_ranking_in_sql(monkeypatch, cap, sort):
    monkeypatch.setattr(best_matches, "SEARCH_CAP", cap)
    for text in WORDS:
        for query_string in FILTERS:
            filters = Filters.parse(QueryDict(f"{query_string}&sort={sort}"), default_sort="relevance", sorts=SORTS)
            results = search_results(SearchQuery.parse(text), filters, facets=True)
            expected = reference(text, f"{query_string}&sort={sort}", cap)
            assert (list(results.ids), results.best.count, results.best.more, _bag(results.combos)) == expected, (
                text, query_string)


@pytest.mark.parametrize("sort", SORTS)
def test_matches_made_at_the_same_instant_are_cut_at_the_cap_as_ranking_in_sql(monkeypatch, sort):
    """The newest `cap` matches are numbered in the order they are read (date, then id): when
    several share the date of the cap's boundary, the same ones are kept as the ORM keeps, for
    every sort, with and without facet filters and whatever the cap falls on."""
    from django.utils import timezone

    Product = get_model("catalogue", "Product")
    # given eleven matches made at one instant, and three more a second earlier
    made = add_products(14, title="Trà đồng hồ")
    instant = timezone.now()
    Product.objects.filter(pk__in=[p.pk for p in made[:11]]).update(date_created=instant)
    Product.objects.filter(pk__in=[p.pk for p in made[11:]]).update(
        date_created=instant - timezone.timedelta(seconds=1))
    for cap in (3, 10, 11, 12):
        monkeypatch.setattr(best_matches, "SEARCH_CAP", cap)
        for query_string in ("", "stars=4", "in_stock=1&price_max=900000"):
            filters = Filters.parse(QueryDict(f"{query_string}&sort={sort}"), default_sort="relevance", sorts=SORTS)
            results = search_results(SearchQuery.parse("tra dong ho"), filters, facets=True)
            expected = reference("tra dong ho", f"{query_string}&sort={sort}", cap)
            assert (list(results.ids), results.best.count, results.best.more, _bag(results.combos)) == expected, (
                cap, query_string)
            assert query_string or (results.best.count, results.best.more) == (cap, True)


def test_in_stock_per_product_is_the_sellable_records_rule():
    # given products sold out, of a class that does not track stock, without a producer (the first
    # record is the web's) and with only a showroom's record
    sold_out, untracked, no_producer, shelf_only = add_products(4, title="Kho thử")
    other = Partner.objects.exclude(pk=sold_out.producer_id).first()
    StockRecord.objects.filter(product=sold_out).update(num_allocated=5)
    untracked.product_class = ProductClass.objects.create(name="Dịch vụ", track_stock=False)
    untracked.save()
    StockRecord.objects.filter(product=untracked).update(num_in_stock=0)
    StockRecord.objects.filter(product=no_producer).update(num_in_stock=0)
    StockRecord.objects.create(product=no_producer, partner=other, partner_sku="SHELF-1", price=1000, num_in_stock=5)
    no_producer.producer = None
    no_producer.save()
    StockRecord.objects.filter(product=shelf_only).update(partner=other, partner_sku="SHELF-2")
    # then the per-product test says what the catalogue-wide rule says, for every product
    per_product = dict(browsable_products().order_by().annotate(now=sellable_here()).values_list("pk", "now"))
    rule = set(sellable_records().values_list("product_id", flat=True))
    assert per_product == {pk: pk in rule for pk in per_product}
    assert [per_product[p.pk] for p in (sold_out, untracked, no_producer, shelf_only)] == [False, True, False, False]


def test_filters_on_matches_keep_what_the_listing_filters_keep():
    # given products whose certificate has expired, whose GI is not confirmed and which are sold out
    # (the demo catalogue's), then for every filter the search's per-match conditions keep exactly
    # the products the listing's joined badges and catalogue-wide stock set keep
    from listing.filters import annotate_listing

    for query_string in FILTERS:
        filters = Filters.parse(QueryDict(query_string), default_sort="relevance", sorts=SORTS)
        listing = set(filters.apply(annotate_listing(browsable_products())).values_list("pk", flat=True))
        matches = set(filters.apply_to_matches(browsable_products()).values_list("pk", flat=True))
        assert matches == listing, query_string


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan matters on PostgreSQL")
def test_a_search_with_badge_filters_looks_each_match_up_instead_of_joining_every_badge():
    # "3★ and above" joined to today's badge periods made PostgreSQL hash every period of the
    # catalogue (most hold 3 stars or more) for each search; the matches ask their own
    filters = Filters.parse(QueryDict("stars=3&gi=ca-phe-son-la&in_stock=1&sort=price_asc"),
                            default_sort="relevance", sorts=SORTS)
    with CaptureQueriesContext(connection) as captured:
        results = search_results(SearchQuery.parse("ca phe"), filters, facets=False)
    assert results.ids
    assert not [q["sql"] for q in captured.captured_queries if 'JOIN "catalog_ext_badgeperiod"' in q["sql"]]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("filters", "over_the_cap"), [("", 0), ("&sort=price_asc&price_max=500000", 0),
                                                      ("&stars=3&sort=price_asc&price_max=500000", 1)])
def test_a_new_search_costs_the_same_queries_whatever_it_matches(client, monkeypatch, filters, over_the_cap):
    from listing import cards

    def cold_cards():  # as after a release with new card templates: no card drawn yet
        release = uuid.uuid4().hex
        monkeypatch.setattr(cards, "templates_digest", lambda: release)

    client.get("/search/?q=mat+ong" + filters)  # warm up: session, templates, synonyms
    # given searches no one made before (a new catalogue version: no facet counts kept), matching
    # a few products and then many more, their cards not drawn yet and then all drawn
    cold_cards()
    few = _queries(client, "/search/?q=ca+phe" + filters)
    catalogue_changed()
    warm_few = _queries(client, "/search/?q=ca+phe" + filters)
    add_products(60, title="Cà phê thử nghiệm")
    client.get("/search/?q=mat+ong" + filters)  # the catalogue's new state read once (SQLite's fingerprint)
    cold_cards()
    many = _queries(client, "/search/?q=ca+phe" + filters)
    catalogue_changed()
    warm_many = _queries(client, "/search/?q=ca+phe" + filters)
    # then each costs the same whatever the number of matches, and cards no page drew cost no
    # query more than drawn ones: they are drawn from the rows their facts were read from
    # (listing.cards.PageRows.product; before, the page's products were loaded with their prefetches)
    assert few == many
    assert warm_few == warm_many == few
    # and over the cap too; on SQLite for one pass more with a facet filter (the candidates before
    # it are then not every match: those after it are read by a query of their own), on PostgreSQL
    # both sets come from one query (listing.search_rows)
    monkeypatch.setattr(best_matches, "SEARCH_CAP", 25)
    cold_cards()
    catalogue_changed()
    more = 0 if connection.vendor == "postgresql" else over_the_cap
    assert _queries(client, "/search/?q=ca+phe" + filters) == many + more


# A last word that stands for no lexeme, one, several (up to search_rows.EXPAND_LIMIT) and more;
# numbers, one letter, a word also met exact before it ("cafe ca": 'ca' inside the synonym's
# meaning), a word of an earlier group only.
PREFIXES = ("ca ph", "tra 5", "so 1", "mat x", "x", "7", "mat ong 50", "xyzzy", "ong qz", "qz", "cafe ca", "ca",
            "son la", "q")


@pytest.fixture
def words_under_prefixes():
    # given products whose words share prefixes: numbers (500, 5, 50g), one-letter words, and more
    # words under "qz" than a search expands (listing.search_rows.EXPAND_LIMIT)
    titles = ["Trà 500g số 1 x"] * 2 + ["Mật ong 50g loại 7 xa"] * 2 + [f"Mật ong qz{n}z" for n in range(12)]
    for product, title in zip(add_products(len(titles)), titles, strict=True):
        product.title = title
        product.save()


@pytest.mark.parametrize("text", PREFIXES)
def test_the_last_word_asked_as_its_lexemes_finds_what_the_prefix_finds(words_under_prefixes, text):
    # then every sort, with filters and without, lists, counts and facets as ranking in SQL does
    # with the last word a prefix (listing_searchlexeme on PostgreSQL: exact words, same matches)
    for sort in SORTS:
        for query_string in ("", "stars=4", "price_max=150000&in_stock=1"):
            filters = Filters.parse(QueryDict(f"{query_string}&sort={sort}"), default_sort="relevance", sorts=SORTS)
            results = search_results(SearchQuery.parse(text), filters, facets=True)
            expected = reference(text, f"{query_string}&sort={sort}", best_matches.SEARCH_CAP)
            assert (list(results.ids), results.best.count, results.best.more, _bag(results.combos)) == expected, (
                text, query_string, sort)

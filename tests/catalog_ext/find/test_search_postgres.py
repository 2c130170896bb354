"""On PostgreSQL: full-text rank and trigram typo tolerance (run with DATABASE_URL=postgres://…)."""
import pytest
from django.db import connection

from .helpers import titles

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_search_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'catalogue_product'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"catalogue_product_search_trgm", "catalogue_product_search_vector"} <= names


@pytest.mark.parametrize("typo, expected", [
    ("arabca", "Cà phê Arabica Sơn La rang xay nguyên chất 500g"),
    ("shan tuyt", "Chè Shan tuyết Mộc Châu đặc biệt 200g"),
    ("xoai yen chou", "Xoài tròn Yên Châu hộp 2kg"),
])
def test_a_typo_still_finds_the_product(client, typo, expected):
    assert expected in titles(client, f"/search/?q={typo}")


def test_typo_fallback_does_not_list_everything(client):
    found = titles(client, "/search/?q=arabca")
    assert found and all("arabica" in t.lower() for t in found)


def test_ranking_puts_title_matches_before_producer_matches(client):
    found = titles(client, "/search/?q=shan+tuyet")
    assert set(found[:2]) == {"Chè Shan tuyết Mộc Châu đặc biệt 200g", "Chè Shan tuyết Tà Xùa hộp gỗ 100g"}
    assert "Hồng trà Tà Xùa 200g" in found[2:]  # matched through its producer's name only


def test_a_typo_is_corrected_against_the_vocabulary_not_every_product(client, django_assert_max_num_queries):
    from listing.ranking import SearchQuery, corrected_query

    assert corrected_query(SearchQuery.parse("xoai yen chou")).phrase == "xoai yen chau"
    assert corrected_query(SearchQuery.parse("ca phe")) is None  # nothing to correct
    assert corrected_query(SearchQuery.parse("zzzzqqq")) is None  # nothing close


def test_a_misspelt_word_of_a_product_added_today_is_found(client):
    from tests.checkout.stock.factories import make_product

    make_product(title="Tam giác mạch Đồng Văn", stock=5)
    assert "Tam giác mạch Đồng Văn" in titles(client, "/search/?q=tam+giacc+mach")


@pytest.mark.parametrize(("words", "misspelt"), [("ca phe", 0), ("ca phe son la moc chau", 0),
                                                 ("xoai yen chou", 1), ("arabca shan tuyt", 2)])
def test_the_vocabulary_is_asked_once_for_every_word_then_once_per_misspelt_word(django_assert_num_queries, words,
                                                                                  misspelt):
    from listing.ranking import SearchQuery, corrected_query

    # a search that matched nothing (half of the new pairs of words a shopper tries) asked the
    # vocabulary once per word before anything was corrected
    with django_assert_num_queries(1 + misspelt):
        corrected = corrected_query(SearchQuery.parse(words))
    assert (corrected is None) == (misspelt == 0)

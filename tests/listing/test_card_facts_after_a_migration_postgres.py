"""A page's card facts are prepared statements on PostgreSQL (listing.compiled): planned once per
connection. A migration run from another connection that changes the type of a column they read
(a title made longer) makes PostgreSQL refuse those plans ("cached plan must not change result
type") on every web connection that prepared them. The shop must not answer errors until the
workers restart: the plans are dropped and the facts asked again, in the same request when no
transaction is open; inside one (ATOMIC_REQUESTS) that page fails, and its rollback makes psycopg
drop them, so the connection's next page reads them. Commits and alters a table from a
second connection, so this file is its own; the column is put back afterwards."""
import psycopg
import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from listing.cards import card_facts, listed_facts
from listing.products import browsable_products
from tests.pos.factories import make_producer, make_product

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _migrate_title(length: int) -> None:
    """What a migration run elsewhere does: ALTER the column from another connection, committed."""
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
                         password=settings["PASSWORD"] or None, dbname=settings["NAME"], autocommit=True) as other:
        other.execute(f"ALTER TABLE catalogue_product ALTER COLUMN title TYPE varchar({length})")


@pytest.fixture
def title_column(postgres):  # skipped first on SQLite (tests/conftest.py)
    length = [f.max_length for f in browsable_products().model._meta.fields if f.name == "title"][0]
    yield length
    _migrate_title(length)  # as the migrations left it, for the tests after this one


def _facts(ids):
    return listed_facts(ids, RequestFactory().get("/"))


def test_after_another_connection_retypes_a_column_the_facts_are_read_in_the_same_request(title_column):
    producer = make_producer()
    ids = [make_product(producer, title="Chè Shan tuyết sau di trú").pk for _ in range(3)]
    for _ in range(6):  # prepared, then PostgreSQL's generic plan
        _facts(ids)
    _migrate_title(title_column + 45)
    facts = _facts(ids)  # outside a transaction: dropped and asked again at once
    request = RequestFactory().get("/")
    assert facts == {p.pk: card_facts(p, request) for p in browsable_products().filter(pk__in=ids)}


def test_inside_a_transaction_the_page_fails_once_and_the_next_one_reads_them(title_column):
    producer = make_producer()
    ids = [make_product(producer, title="Mật ong bạc hà sau di trú").pk for _ in range(2)]
    for _ in range(6):
        _facts(ids)
    _migrate_title(title_column + 45)
    with pytest.raises(DatabaseError):
        with transaction.atomic():  # ATOMIC_REQUESTS: the error aborted the request's transaction
            _facts(ids)
    with transaction.atomic():
        assert set(_facts(ids)) == set(ids)

"""The checkout's delivery methods list the active showrooms (shop/shipping/repository.py), read
with SQL compiled once (issue 21): Django's statement and objects, and the checkout pages byte for
byte what they were, with the same queries."""
import difflib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shop.shipping import repository
from showrooms.models import Showroom
from tests.basket.test_compiled_reads import _pages, _values
from tests.pos.factories import make_showroom
from tests.speed.test_query_counts_by_size import _web_skus

pytestmark = pytest.mark.django_db


def _statements(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, [query["sql"] for query in queries.captured_queries]


def test_the_active_showrooms_are_djangos_read():
    make_showroom(), make_showroom()
    closed = make_showroom()
    Showroom.objects.filter(pk=closed.pk).update(is_active=False)
    theirs, orm_sql = _statements(lambda: list(Showroom.objects.active()))
    for _ in range(2):  # compiled, then from the compiled SQL
        ours, our_sql = _statements(repository.active_showrooms)
        assert our_sql == orm_sql and len(our_sql) == 1
        assert [_values(showroom) for showroom in ours] == [_values(showroom) for showroom in theirs]
        assert closed.pk not in {showroom.pk for showroom in ours} and len(ours) >= 2  # (the migrations add some)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_checkout_pages_are_the_same(monkeypatch, language):
    from tests.checkout.payment_methods.checkout import choose_payment, start_guest_checkout

    make_showroom(), make_showroom()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    start_guest_checkout(client, lines=[(sku, 1) for sku in _web_skus(3)])
    assert choose_payment(client, "cod").status_code == 302
    _pages(client)  # the messages waiting are drawn once, on the first page
    ours, our_sql = _statements(lambda: _pages(client))
    with monkeypatch.context() as patched:
        patched.setattr(repository, "active_showrooms", lambda: list(Showroom.objects.active()))
        theirs, their_sql = _statements(lambda: _pages(client))
    for name in ours:
        diff = difflib.unified_diff(theirs[name].splitlines(), ours[name].splitlines(), lineterm="", n=1)
        assert ours[name] == theirs[name], name + "\n" + "\n".join(list(diff)[:40])
    assert len(our_sql) == len(their_sql)
    assert "Điểm OCOP thử" in ours["checkout:shipping-method"]

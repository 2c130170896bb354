"""The stock ledger's guard for the channels' tests (checkout, counter, producer portal, the stock
tests themselves): after every test that used the database, each stock record's counts must be
the sums of its movements. A write that went around shop/partner/stock.py (a queryset.update(), a
raw save, Oscar's own stock methods) fails the test it happened in, at teardown.

A test that sets stock up around the ledger on purpose (to stage a broken state) asks for the
`stock_written_around_the_ledger` fixture and is not audited.
"""
import pytest

DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture
def stock_written_around_the_ledger():
    """Marks a test that writes stock counts around the ledger on purpose."""


@pytest.fixture(autouse=True)
def stock_ledger_balanced(request):
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or DB_FIXTURES & set(request.fixturenames)
    if not uses_db or "stock_written_around_the_ledger" in request.fixturenames:
        yield
        return
    # Set up the database now, inside this fixture: it is then torn down after the audit below.
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    from shop.partner import stock

    wrong = stock.audit()
    assert not wrong, "stock written around the ledger:\n" + "\n".join(map(str, wrong))

"""The stock lock taken while an order is placed must not stop other shoppers' baskets from
committing. PostgreSQL checks a basket line's foreign key to its stock record at COMMIT with a
KEY SHARE lock, which FOR UPDATE blocks: `make loadtest` found the deadlock that made — an order
being placed held the stock row and waited on the analytics row of the product, which a shopper's
add-to-basket had updated and held while its COMMIT waited on that stock row (two 503s in 3,315
requests). The stock rows are locked FOR NO KEY UPDATE: it still orders every writer of stock, and
leaves foreign-key checks free."""
import contextlib
import threading

import pytest
from django.db import connection, transaction

from shop.partner.stock import lock_stockrecords

from .factories import basket_of, make_product, stockrecord

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@contextlib.contextmanager
def locked_elsewhere(record):
    """The stock row locked, as placing an order locks it, by another connection until the block ends."""
    locked, release = threading.Event(), threading.Event()

    def placing_an_order():
        try:
            with transaction.atomic():
                lock_stockrecords([record.pk])
                locked.set()
                release.wait(15)
        finally:
            connection.close()

    holder = threading.Thread(target=placing_an_order)
    holder.start()
    try:
        assert locked.wait(15)
        yield
    finally:
        release.set()
        holder.join(20)


def lock_timeout(value: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{value}'")


def test_a_basket_line_commits_while_its_stock_record_is_locked_for_an_order():
    product = make_product(title="Cà phê Arabica Sơn La 250g", stock=10)
    record = stockrecord(product)
    with locked_elsewhere(record):
        with transaction.atomic():
            lock_timeout("3s")  # FOR UPDATE: the COMMIT below times out
            basket = basket_of((product, 1))
        assert basket.lines.get().stockrecord_id == record.pk


def test_two_writers_of_one_stock_record_still_wait_for_each_other():
    product = make_product(title="Chè Shan tuyết Tà Xùa 100g", stock=10)
    record = stockrecord(product)
    with locked_elsewhere(record), pytest.raises(Exception, match="lock timeout"), transaction.atomic():
        lock_timeout("500ms")
        lock_stockrecords([record.pk])

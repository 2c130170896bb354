"""On PostgreSQL, two connections: producers saving products with the same common words at once
do not wait for each other on the search's lexeme set (listing_searchlexeme, migration listing
0005). A lexeme already in the set is added with ON CONFLICT DO NOTHING, which locks nothing; a
count of rows per lexeme locked its row until the writer's commit."""
import threading

import pytest
from django.db import connection, transaction
from oscar.core.loading import get_model

from tests.pos.factories import make_producer, make_product

Product = get_model("catalogue", "Product")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_saving_a_product_does_not_wait_for_another_open_save_of_the_same_common_words():
    # given the words in the set already (an earlier product, committed; each title ends with a
    # number of its own, new to the set)
    producer = make_producer()
    make_product(producer, title="Cà phê Sơn La rang xay")
    failures = []

    def second_producer():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:  # a wait fails at once instead of waiting
                    cursor.execute("SET LOCAL lock_timeout = '300ms'")
                make_product(producer, title="Cà phê Sơn La rang xay")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    # when one producer's transaction has saved a product with those words and is still open,
    # and another saves one with the same words and commits meanwhile
    with transaction.atomic():
        make_product(producer, title="Cà phê Sơn La rang xay")
        other = threading.Thread(target=second_producer)
        other.start()
        other.join(timeout=30)
    # then the second never waited on the first
    assert not other.is_alive() and failures == []
    assert Product.objects.filter(title__startswith="Cà phê Sơn La rang xay").count() == 3

"""Oscar's analytics counters under concurrency on PostgreSQL: the first basket additions of a
product, all at once, each in its own transaction as a request is (ATOMIC_REQUESTS). Oscar's own
counter lost the race without a savepoint and failed the whole request (`make loadtest`: "add to
basket: HTTP 500"); shop/view_counts.py counts every one."""
import pytest
from django.db import transaction
from oscar.apps.basket.signals import basket_addition
from oscar.core.loading import get_model

from tests.checkout.stock.factories import make_product
from tests.concurrency import at_once

ProductRecord = get_model("analytics", "ProductRecord")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
SHOPPERS = 8


class Never(Exception):
    """Nothing here is refused: every call must succeed."""


def test_first_basket_additions_of_a_product_at_once_all_succeed_and_all_count():
    tea = make_product(title="Chè Shan tuyết mới", stock=100)

    def add_in_a_request():
        with transaction.atomic():
            basket_addition.send(sender=None, product=tea, user=None, request=None)
            return ProductRecord.objects.filter(product=tea).count()  # the request goes on afterwards

    done, _refused, errors = at_once([add_in_a_request] * SHOPPERS, refused_as=Never)

    assert errors == [] and len(done) == SHOPPERS
    assert ProductRecord.objects.get(product=tea).num_basket_additions == SHOPPERS


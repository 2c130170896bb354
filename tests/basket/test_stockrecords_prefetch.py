"""The strategy loads a basket's stock records with SQL compiled once (shop/partner/strategy.py
`prefetch_stockrecords`, issue 21), not with `prefetch_related_objects(lines, "product__stockrecords",
…)`: the same records (values, counts as loaded, product) kept as Django keeps a prefetch, the same
strategy answers, and on a basket whose lines were read with their products and classes no
prefetch of Django's is run for what is there already (no parents: none looked for)."""
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from shop.partner import strategy as our_strategy
from tests.speed.test_query_counts_by_size import _basket_of

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
FIELDS = [field.attname for field in StockRecord._meta.concrete_fields]


def _records(product):
    return sorted(([getattr(r, name) for name in FIELDS], r._loaded_counts, r.product is product)
                  for r in product.stockrecords.all())


def _same_as_djangos():
    products = Product.objects.select_related("product_class", "parent__product_class").order_by("pk")
    ours, theirs = list(products), list(products.all())
    assert any(p.stockrecords.count() > 1 for p in theirs) or len(theirs) > 1
    prefetch_related_objects(theirs, "stockrecords")
    with CaptureQueriesContext(connection) as captured:
        our_strategy.prefetch_stockrecords(ours + [ours[0]])
    assert len(captured.captured_queries) == 1
    with CaptureQueriesContext(connection) as captured:
        for mine, reference in zip(ours, theirs, strict=True):
            assert _records(mine) == _records(reference), mine.upc
            ask = our_strategy.Default()
            a, b = ask.fetch_for_product(mine), ask.fetch_for_product(reference)
            assert (getattr(a.stockrecord, "pk", None), a.price.incl_tax if a.price.exists else None,
                    a.availability.is_available_to_buy, a.availability.message) == \
                   (getattr(b.stockrecord, "pk", None), b.price.incl_tax if b.price.exists else None,
                    b.availability.is_available_to_buy, b.availability.message)
        our_strategy.prefetch_stockrecords(ours)  # prefetched already: left as they are
    assert not captured.captured_queries
    # a filter on the prefetched records asks about that product only, as Django's does
    product = next(p for p in ours if p.stockrecords.all())
    assert list(product.stockrecords.all().filter(pk__gt=0).values_list("product_id", flat=True).distinct()) \
        == [product.pk]
    assert our_strategy._compiled_stockrecords


def test_the_records_are_djangos_prefetch():
    _same_as_djangos()


@pytest.mark.postgres
def test_the_records_are_djangos_prefetch_on_postgresql():
    our_strategy._compiled_stockrecords.clear()
    _same_as_djangos()
    _same_as_djangos()  # the second time from the SQL compiled the first


def test_a_read_basket_runs_no_prefetch_of_djangos(client, monkeypatch):
    user = get_user_model().objects.create_user("kho-hang", "kho.hang@example.vn", "pw-123456-x")
    client.force_login(user)
    _basket_of(client, 3)
    asked = []

    def recording(instances, *lookups):
        asked.append((len(list(instances)), lookups))
        return prefetch_related_objects(instances, *lookups)

    monkeypatch.setattr(our_strategy, "prefetch_related_objects", recording)
    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200 and len(response.context["basket"].all_lines()) == 3
    assert asked and all(count == 0 for count, _lookups in asked), asked

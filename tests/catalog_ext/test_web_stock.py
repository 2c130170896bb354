"""The web sells each product from one stock record, and the strategy (Python, per product) and
the listing (SQL, whole catalogue) name the same one: catalog_ext/web_stock.py."""
from decimal import Decimal

import pytest
from oscar.core.loading import get_class, get_model

from catalog_ext.web_stock import web_record, web_records

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


def _product(title, producer=None):
    kind, _ = ProductClass.objects.get_or_create(name="Đặc sản", defaults={"track_stock": True})
    return Product.objects.create(title=title, product_class=kind, producer=producer)


def _record(product, partner, sku):
    return StockRecord.objects.create(product=product, partner=partner, partner_sku=sku,
                                      price=Decimal("100000"), num_in_stock=5)


def test_strategy_and_listing_pick_the_same_record_for_every_product():
    producer = Partner.objects.create(name="HTX Chè Tà Xùa")
    shelf = Partner.objects.create(name="Điểm OCOP Mộc Châu")
    other = Partner.objects.create(name="Đại lý")
    # given: a product on a showroom shelf whose shelf record is older than the producer's
    shelved = _product("Chè Shan tuyết", producer)
    shelf_first = _record(shelved, shelf, "S-1")
    own = _record(shelved, producer, "P-1")
    # a product without a producer, two records
    orphan = _product("Mật ong")
    first = _record(orphan, other, "O-1")
    _record(orphan, shelf, "O-2")
    # a product whose producer has no record (only a shelf): the web does not sell it
    unsold = _product("Mận hậu", producer)
    _record(unsold, shelf, "S-2")

    sql = {r.product_id: r.pk for r in web_records()}
    strategy = Selector().strategy()
    for product in Product.objects.prefetch_related("stockrecords"):
        python = web_record(product, list(product.stockrecords.all()))
        assert (python.pk if python else None) == sql.get(product.pk), product.title
        chosen = strategy.fetch_for_product(product).stockrecord
        assert (chosen.pk if chosen else None) == sql.get(product.pk), product.title
    assert (sql[shelved.pk], sql[orphan.pk]) == (own.pk, first.pk)
    assert unsold.pk not in sql and shelf_first.pk not in sql.values()

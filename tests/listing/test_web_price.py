"""PostgreSQL keeps each product's web price on its row (migration listing 0003): after every kind
of write to stock records or to a product's producer, the column holds what the web-record rule
says (catalog_ext.web_stock, the ORM's answer), and the stock counts orders change never touch it."""
import pytest
from django.db import connection
from oscar.core.loading import get_model

from catalog_ext.web_stock import web_records
from shop.partner import stock

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def stored(product):
    with connection.cursor() as cursor:
        cursor.execute("SELECT web_price, xmin::text FROM catalogue_product WHERE id = %s", [product.pk])
        return cursor.fetchone()


def rule(product):
    return web_records().filter(product=product).order_by("pk").values_list("price", flat=True).first()


def assert_in_step(*products):
    for product in products:
        assert stored(product)[0] == rule(product), product


@pytest.fixture
def producers():
    return Partner.objects.create(name="Hợp tác xã A", code="htx-a"), Partner.objects.create(name="Cửa hàng B", code="shop-b")


def new_product(producer, title="Mật ong thử"):
    return Product.objects.create(title=title, product_class=ProductClass.objects.first(), producer=producer,
                                  ocop_group="food")


def record(product, partner, price, sku):
    return StockRecord.objects.create(product=product, partner=partner, partner_sku=sku, price=price, num_in_stock=5)


def test_every_write_keeps_the_column_in_step(producers):
    own, other = producers
    product = new_product(own)
    assert stored(product)[0] is None  # no record yet: no price, as the rule says
    # a showroom's shelf first, then the producer's own record: the producer's is the web's
    shelf = record(product, other, 90000, "B-1")
    assert stored(product)[0] is None == rule(product)
    mine = record(product, own, 120000, "A-1")
    assert stored(product)[0] == 120000
    # a price saved, and one updated in bulk without save()
    mine.price = 125000
    mine.save()
    assert_in_step(product)
    StockRecord.objects.filter(pk=mine.pk).update(price=130000)
    assert stored(product)[0] == 130000 == rule(product)
    # the product moves to the other partner: its record becomes the web's
    product.producer = other
    product.save()
    assert stored(product)[0] == 90000 == rule(product)
    # the record deleted; then no producer at all: the first record is the web's
    shelf.delete()
    assert_in_step(product)
    product.producer = None
    product.save()
    assert stored(product)[0] == 130000 == rule(product)
    # records made in bulk (the importer's and the seed's way) and a record moved to another product
    second = new_product(own, "Chè thử")
    StockRecord.objects.bulk_create([StockRecord(product=second, partner=other, partner_sku="B-2", price=50000),
                                     StockRecord(product=second, partner=own, partner_sku="A-2", price=60000)])
    assert stored(second)[0] == 60000 == rule(second)
    StockRecord.objects.filter(pk=mine.pk).update(product=second)
    assert_in_step(product, second)
    StockRecord.objects.filter(product=second).delete()
    assert stored(second)[0] is None
    assert_in_step(product)


def test_stock_counts_never_write_the_product_row(producers):
    # given a product with its producer's record
    own, _ = producers
    product = new_product(own)
    mine = record(product, own, 120000, "A-1")
    before = stored(product)
    # when its stock is counted, received and sold (the ledger's updates of the counts alone)
    stock.set_counted(stockrecord=mine, counted=9, actor=None, reason=stock.Reason.STOCKTAKE)
    stock.adjust(stockrecord=mine, delta=-2, actor=None, reason=stock.Reason.WRITTEN_OFF)
    # then the product row is the same row version: orders add no write to it
    assert stored(product) == before


def test_the_demo_catalogue_is_in_step():
    for product in Product.objects.all():
        assert stored(product)[0] == rule(product), product

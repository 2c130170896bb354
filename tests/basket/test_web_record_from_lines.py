"""The web's stock record of each basket line's product comes with the lines' own query (basket8,
issue 21): all_lines() carries `ocop_web_record_id` (catalog_ext.web_stock's rule written as a
subquery), and when it names the line's own record, joined to the line's row, the strategy answers
from it instead of reading every product's records (the basket page's slowest query). Lines it cannot
tell (a record that is not the web's one) are read as before, in one query for all of them."""
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalog_ext.web_stock import web_record
from shop.partner import strategy as our_strategy
from tests.speed.test_query_counts_by_size import _basket_of

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
FIELDS = [field.attname for field in StockRecord._meta.concrete_fields]


def _answer(info):
    record = info.stockrecord
    return ([getattr(record, name) for name in FIELDS] if record else None,
            getattr(record, "_loaded_counts", None), info.price.incl_tax if info.price.exists else None,
            info.availability.is_available_to_buy, info.availability.code, str(info.availability.message))


def _stockrecord_reads(captured):
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "partner_stockrecord"')]


@pytest.fixture
def basket(client):
    user = get_user_model().objects.create_user("kho-web", "kho.web@example.vn", "pw-123456-x")
    client.force_login(user)
    _basket_of(client, 4)
    return Basket.open.get(owner=user)


def _fresh(basket):
    basket = Basket.objects.get(pk=basket.pk)
    basket.strategy = our_strategy.Default()
    return basket


def test_the_lines_own_records_answer_as_the_products_records_do(basket):
    lines = list(basket.lines.order_by("pk"))
    # line 1: its producer has a second record, of a lower id than the one the line was added from
    first = lines[1].stockrecord
    second = StockRecord.objects.create(product=first.product, partner=first.partner, partner_sku="WEB-2",
                                        price=first.price + 1000, num_in_stock=3)
    lines[1].stockrecord = second
    lines[1].save()
    # line 2: a producer without a record of it: no web record at all
    other = Partner.objects.exclude(pk=lines[2].product.producer_id).exclude(
        stockrecords__product=lines[2].product).first()
    Product.objects.filter(pk=lines[2].product_id).update(producer=other)
    # line 3: no producer: the product's first record
    Product.objects.filter(pk=lines[3].product_id).update(producer=None)

    ours = _fresh(basket)
    with CaptureQueriesContext(connection) as captured:
        read = list(ours.all_lines())
        answers = [_answer(line.purchase_info) for line in read]
    assert len(_stockrecord_reads(captured)) == 1  # line 1's product only, for all of them
    expected = []
    for line in read:
        product = Product.objects.get(pk=line.product_id)
        records = list(product.stockrecords.order_by("pk"))
        assert line.ocop_web_record_id == getattr(web_record(product, records), "pk", None)
        expected.append(_answer(our_strategy.Default().fetch_for_product(product)))
    assert answers == expected
    assert [line.ocop_web_record_id for line in read] == [lines[0].stockrecord_id, first.pk, None,
                                                         lines[3].stockrecord_id]
    assert answers[2][0] is None and not answers[2][3]  # no web record: not for sale, as before
    known = [line.product.__dict__.get(our_strategy.WEB_RECORD_KNOWN, "?") for line in read]
    assert known[1] == "?" and known[2] is None and known[0].pk == lines[0].stockrecord_id
    assert known[0] is not read[0].stockrecord and known[0].product is read[0].product  # as the prefetch made it


def test_a_basket_of_web_records_reads_no_stock_record(basket):
    ours = _fresh(basket)
    with CaptureQueriesContext(connection) as captured:
        read = list(ours.all_lines())
        answers = [_answer(line.purchase_info) for line in read]
    assert _stockrecord_reads(captured) == []
    assert len(captured.captured_queries) == 2  # the lines, their products' images (no line has options)
    reference = [_answer(our_strategy.Default().fetch_for_product(Product.objects.get(pk=line.product_id)))
                 for line in read]
    assert answers == reference and all(answer[3] for answer in answers)


def test_lines_read_without_the_annotation_are_read_as_before(basket):
    ours = _fresh(basket)
    lines = list(ours.lines.select_related("product", "product__product_class", "stockrecord").order_by("pk"))
    ours._lines = None
    ours.all_lines()._result_cache = lines  # (Basket._know_lines, as add_product keeps them)
    with CaptureQueriesContext(connection) as captured:
        answers = [_answer(line.purchase_info) for line in lines]
    assert len(_stockrecord_reads(captured)) == 1
    assert all(answer[3] for answer in answers)

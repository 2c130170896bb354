"""Placing an order never takes more units than are free: every short line is reported at once and
nothing is written; the database refuses an over-allocation whatever code tries it."""
import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from oscar.core.loading import get_model

from shop.partner.models import StockWriteOutsideLedger
from shop.partner.stock import InsufficientStock, allocate_line

from .factories import StockRecord, basket_of, make_product, place, stockrecord

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def test_an_order_line_is_allocated_from_free_units_only():
    tea = make_product(title="Chè Shan tuyết", stock=5, allocated=3)
    line = place(basket_of((tea, 2))).lines.get()
    assert stockrecord(tea).num_allocated == 5

    with pytest.raises(InsufficientStock), transaction.atomic():
        allocate_line(line)  # the same 2 units again: none is free, refused, nothing written

    assert stockrecord(tea).num_allocated == 5
    assert line.stock_movements.count() == 1


def test_oscars_own_stock_methods_are_refused_they_would_bypass_the_ledger():
    record = stockrecord(make_product(title="Chè Shan tuyết", stock=5))

    for write in (record.allocate, record.consume_allocation, record.cancel_allocation):
        with pytest.raises(StockWriteOutsideLedger):
            write(1)
    assert (StockRecord.objects.get(pk=record.pk).num_in_stock, stockrecord(record.product).num_allocated) == (5, 0)


def test_every_short_line_is_reported_at_once_and_no_order_is_written():
    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=2)
    coffee = make_product(title="Cà phê Arabica", stock=4, allocated=4)
    honey = make_product(title="Mật ong bạc hà", stock=10)
    orders_before = Order.objects.count()

    with pytest.raises(InsufficientStock) as refused:
        place(basket_of((tea, 3), (coffee, 1), (honey, 2)))

    assert [(s.title, s.asked, s.available) for s in refused.value.shortages] == [
        ("Chè Shan tuyết Tà Xùa", 3, 2), ("Cà phê Arabica", 1, 0)]
    assert Order.objects.count() == orders_before
    assert [stockrecord(p).num_allocated for p in (tea, coffee, honey)] == [0, 4, 0]  # honey not taken either


def test_the_message_is_vietnamese_and_says_the_basket_is_kept():
    tea = make_product(title="Chè Shan tuyết", stock=2)
    coffee = make_product(title="Cà phê Arabica", stock=0)

    with translation.override("vi"), pytest.raises(InsufficientStock) as refused:
        place(basket_of((tea, 5), (coffee, 1)))

    assert str(refused.value) == ("Chỉ còn 2 sản phẩm «Chè Shan tuyết» trong kho (bạn đặt 5); "
                                  "«Cà phê Arabica» đã hết hàng; giỏ hàng của bạn vẫn được giữ nguyên.")


def test_two_lines_of_one_stock_record_are_counted_together():
    tea = make_product(title="Chè Shan tuyết", stock=3)
    basket = basket_of((tea, 2))
    line = basket.all_lines()[0]
    basket.lines.create(product=tea, stockrecord=line.stockrecord, quantity=2, line_reference="second",
                        price_currency=line.price_currency, price_excl_tax=line.price_excl_tax,
                        price_incl_tax=line.price_incl_tax)
    basket = type(basket).objects.get(pk=basket.pk)
    basket.strategy = line.basket.strategy

    with pytest.raises(InsufficientStock) as refused:
        place(basket)

    assert [(s.asked, s.available) for s in refused.value.shortages] == [(4, 3)]


def test_an_order_within_stock_allocates_it():
    tea = make_product(title="Chè Shan tuyết", stock=3)

    order = place(basket_of((tea, 3)))

    assert order.lines.get().quantity == 3
    assert stockrecord(tea).num_allocated == 3


def test_products_that_do_not_track_stock_are_not_limited():
    voucher = make_product(title="Phiếu trải nghiệm", stock=0, track_stock=False)

    order = place(basket_of((voucher, 4)))

    assert order.lines.get().quantity == 4
    assert stockrecord(voucher).num_allocated == 0


def test_the_database_refuses_an_allocation_beyond_stock():
    record = stockrecord(make_product(title="Măng sặt", stock=5))

    with pytest.raises(IntegrityError), transaction.atomic():
        StockRecord.objects.filter(pk=record.pk).update(num_allocated=F("num_in_stock") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockRecord.objects.filter(pk=record.pk).update(num_allocated=-1)

    assert StockRecord.objects.get(pk=record.pk).num_allocated == 0


def test_lowering_stock_below_the_allocation_is_a_form_error_not_a_crash():
    record = stockrecord(make_product(title="Măng sặt", stock=5, allocated=4))
    record.num_in_stock = 3

    with pytest.raises(Exception) as refused:
        record.full_clean()

    assert "num_in_stock" in refused.value.message_dict

"""Placing an order costs the same number of queries for 1 line and for 10 lines of 3 producers
(issue 21: 100 orders a second), and writes the same rows Oscar's line-by-line placing wrote: each
line with its price, its options, its ledger movement with the counts after it, one notification
per producer. A back-in-stock e-mail is sent when units come in, not when someone buys."""
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from oscar.core.loading import get_class, get_model

from demo.catalogue import ensure_country
from shop.partner import stock
from tests.checkout.stock.factories import basket_of, place
from tests.notifications.factories import make_producer, make_product

Notification = get_model("notifications", "Notification")
Option = get_model("catalogue", "Option")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Free = get_class("shipping.methods", "Free")
ProductAlert = get_model("customer", "ProductAlert")
ShippingAddress = get_model("order", "ShippingAddress")
StockMovement = get_model("partner", "StockMovement")
StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db

# place_order's transaction (here a savepoint: its two statements): lock the stock rows (with their
# producers, whether each is a shelf and its contact preferences), insert the order, insert the
# lines, their prices, update the stock rows, insert their movements, then the producers'
# notifications (one INSERT: the producers came with the stock rows). No line and no producer adds
# one. (Options and line discounts add one INSERT each when the basket has them.) The basket's
# vouchers are locked too (one more) unless the basket knows it has none: a basket made in this
# request (as here) or whose vouchers were read (shop/basket/models.py).
PLACE_ORDER_QUERIES = 9


@pytest.fixture
def catalogue(db):
    producers = [make_producer(code, f"{code}@thu.example") for code in ("htx-ca-phe", "che-moc-chau", "mat-ong")]
    products = [make_product(producers[n % 3], title=f"Đặc sản Sơn La {n}", stock=50) for n in range(10)]
    place(basket_of((products[0], 1)))  # the site, content types and the like read once, as in a running shop
    return products


def checkout_of(basket) -> dict:
    """What the checkout has in hand when "Place order" is pressed: the basket read (its totals were
    shown), the shipping charge, the total and the saved delivery address."""
    method = Free()
    charge = method.calculate(basket)
    address = ShippingAddress.objects.create(first_name="Thu Hà", last_name="Nguyễn", line1="12 Tô Hiệu",
                                             line4="Sơn La", country=ensure_country(), phone_number="+84912345678")
    return {"basket": basket, "total": OrderTotalCalculator().calculate(basket, charge), "shipping_method": method,
            "shipping_charge": charge, "shipping_address": address, "guest_email": "khach@example.vn"}


def test_one_line_and_ten_lines_of_three_producers_take_the_same_queries(catalogue, django_assert_num_queries):
    one = checkout_of(basket_of((catalogue[1], 2)))
    ten = checkout_of(basket_of(*[(product, 1) for product in catalogue]))

    with django_assert_num_queries(PLACE_ORDER_QUERIES):
        small = OrderCreator().place_order(**one)
    with django_assert_num_queries(PLACE_ORDER_QUERIES):
        big = OrderCreator().place_order(**ten)

    assert small.lines.get().quantity == 2
    lines = list(big.lines.order_by("pk"))
    assert [line.product_id for line in lines] == [product.pk for product in catalogue]  # basket order kept
    assert all(line.prices.count() == 1 and line.num_allocated == 1 for line in lines)
    moves = StockMovement.objects.filter(order_line__order=big).order_by("pk")
    assert [(m.order_line_id, m.reason, m.delta_allocated, m.allocated_after) for m in moves] == [
        (line.pk, stock.Reason.ALLOCATED, 1, 1 + held) for line, held in zip(lines, [1, 2] + [0] * 8, strict=True)]  # held: the warm-up and the 1-line order
    notes = Notification.objects.filter(order=big).order_by("partner_id")
    assert [len(n.payload["lines"]) for n in notes] == [4, 3, 3]  # one per producer, their own lines


def test_a_basket_read_from_the_database_has_its_vouchers_locked(catalogue, django_assert_num_queries):
    """Its vouchers were not read: place_order locks them (none here), one statement more."""
    made = basket_of((catalogue[4], 1))
    basket = type(made).objects.get(pk=made.pk)
    basket.strategy = made.strategy
    order = checkout_of(basket)  # reads the lines, as the checkout does before "Place order"

    with django_assert_num_queries(PLACE_ORDER_QUERIES + 1) as done:
        OrderCreator().place_order(**order)

    assert any('FROM "voucher_voucher"' in query["sql"] for query in done.captured_queries)  # FOR UPDATE but on SQLite


def test_an_order_number_used_before_is_refused_with_nothing_written(catalogue):
    """The database's unique number refuses it (Oscar asked with a query first, for every order)."""
    first = place(basket_of((catalogue[2], 1)))
    allocated = StockRecord.objects.get(product=catalogue[3]).num_allocated

    with pytest.raises(ValueError, match=f"Đã có một đơn đặt hàng với số {first.number}"):  # Oscar's message
        place(basket_of((catalogue[3], 1)), order_number=first.number)

    assert StockRecord.objects.get(product=catalogue[3]).num_allocated == allocated
    assert not StockMovement.objects.filter(stockrecord__product=catalogue[3], order_line__order__number=first.number)


def test_two_lines_of_one_stock_record_are_two_movements_with_running_counts():
    """Two lines of one product (different options): two movements, as allocating them one after
    the other wrote, each with the counts after it; the options are copied onto the order lines."""
    wrap = Option.objects.create(name="Gói quà", code="goi-qua")
    honey = make_product(make_producer("mat-ong", "mat-ong@thu.example"), title="Mật ong bạc hà", stock=10)
    basket = basket_of()
    basket.add_product(honey, 2, options=[{"option": wrap, "value": "có"}])
    basket.add_product(honey, 3, options=[{"option": wrap, "value": "không"}])

    order = place(basket)

    lines = list(order.lines.order_by("pk"))
    assert [(line.quantity, [a.value for a in line.attributes.all()]) for line in lines] == [(2, ["có"]), (3, ["không"])]
    moves = StockMovement.objects.filter(order_line__order=order).order_by("pk")
    assert [(m.delta_allocated, m.allocated_after, m.in_stock_after) for m in moves] == [(2, 2, 10), (3, 5, 10)]
    record = StockRecord.objects.get(product=honey)
    assert (record.num_in_stock, record.num_allocated) == (10, 5)


def test_a_back_in_stock_alert_goes_out_when_units_come_in_not_when_someone_buys():
    """Oscar ran its back-in-stock receiver after every stock write: an alert left active while the
    product was in stock went out when someone bought it. A sale frees no unit: nothing is sent."""
    tea = make_product(make_producer("che-moc-chau", "che@thu.example"), title="Chè Shan tuyết", stock=5)
    shopper = get_user_model().objects.create_user("alert-shopper", "nho.hang@example.vn", "x-2026")
    alert = ProductAlert.objects.create(user=shopper, product=tea, status=ProductAlert.ACTIVE)

    place(basket_of((tea, 2)))  # 3 left: still in stock, but nothing came back
    alert.refresh_from_db()
    assert alert.status == ProductAlert.ACTIVE and mail.outbox == []

    stock.adjust(stockrecord=StockRecord.objects.get(product=tea), delta=5, actor=None, reason=stock.Reason.RECEIVED)
    alert.refresh_from_db()
    assert alert.status == ProductAlert.CLOSED
    assert [m.to for m in mail.outbox] == [["nho.hang@example.vn"]]

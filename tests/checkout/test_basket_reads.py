"""A basket reads its lines once while it is built (shop/basket/models.py, issue 21: 100 orders a
second). Oscar's add_product read the lines for the currency, then the product's line, then forgot
them, so the shipping charge and the total read them again with their options, images, stock
records and product class: 8 queries to put a product in a new basket and price it. The lines
and totals a shopper sees are the same; a voucher still makes the order lock and count it."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from oscar.core.loading import get_model

from tests.checkout.stock.factories import Free, OrderTotalCalculator, Selector, basket_of, make_product, place

Basket = get_model("basket", "Basket")
Option = get_model("catalogue", "Option")
Voucher = get_model("voucher", "Voucher")
pytestmark = pytest.mark.django_db

# INSERT the basket; the product's stock records (the strategy's price); SAVEPOINT, INSERT the line,
# RELEASE (the test runs in a transaction, as a request does). The shipping charge and the total:
# nothing (Oscar: 8 queries and a transaction of their own in all, before the savepoints).
NEW_BASKET_PRICED_QUERIES = 5


def test_a_new_basket_is_built_and_priced_reading_the_product_once(django_assert_num_queries):
    tea = make_product(title="Chè Shan tuyết cổ thụ", stock=10, price=Decimal(180000))

    with django_assert_num_queries(NEW_BASKET_PRICED_QUERIES):
        basket = Basket.objects.create()
        basket.strategy = Selector().strategy()
        line, created = basket.add_product(tea, 2)
        charge = Free().calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)

    assert created and total.incl_tax == Decimal(360000) and basket.num_items == 2
    stored = basket.lines.get()
    assert (stored.pk, stored.product_id, stored.quantity, stored.price_incl_tax) == (line.pk, tea.pk, 2, Decimal(180000))


def test_adding_a_product_again_and_another_one_gives_the_lines_oscar_gives():
    tea = make_product(title="Chè Shan tuyết", stock=10, price=Decimal(100000))
    honey = make_product(title="Mật ong bạc hà", stock=10, price=Decimal(250000))
    wrap = Option.objects.create(name="Gói quà", code="goi-qua")
    basket = basket_of((tea, 1))

    again, created_again = basket.add_product(tea, 2)
    _, created_honey = basket.add_product(honey, 1, options=[{"option": wrap, "value": "có"}])

    assert (created_again, created_honey) == (False, True)
    assert [(line.product_id, line.quantity) for line in basket.all_lines()] == [(tea.pk, 3), (honey.pk, 1)]
    assert basket.total_incl_tax == Decimal(550000)
    fresh = Basket.objects.get(pk=basket.pk)
    fresh.strategy = Selector().strategy()
    assert [(line.product_id, line.quantity, [a.value for a in line.attributes.all()])
            for line in fresh.all_lines()] == [(tea.pk, 3, []), (honey.pk, 1, ["có"])]
    assert fresh.total_incl_tax == Decimal(550000)


def test_a_line_another_request_added_meanwhile_gets_the_units_not_a_second_line():
    """Lines read before another tab added the same product: the insert is refused by the basket's
    unique line reference (inside a savepoint), and the units go onto that line, as in Oscar."""
    tea = make_product(title="Chè Shan tuyết", stock=10)
    basket = basket_of()
    list(basket.all_lines())  # read: none
    other_tab = Basket.objects.get(pk=basket.pk)
    other_tab.strategy = Selector().strategy()
    other_tab.add_product(tea, 1)

    line, created = basket.add_product(tea, 2)

    assert not created and line.quantity == 3
    assert list(Basket.objects.get(pk=basket.pk).lines.values_list("quantity", flat=True)) == [3]


def test_a_voucher_added_to_a_new_basket_is_locked_and_counted_when_the_order_is_placed():
    """A new basket knows it has no vouchers (placing its order then locks none); adding one forgets that."""
    tea = make_product(title="Chè Shan tuyết", stock=10)
    voucher = Voucher.objects.create(name="Tết", code="TET2027", usage=Voucher.MULTI_USE,
                                     start_datetime=timezone.now() - timezone.timedelta(days=1),
                                     end_datetime=timezone.now() + timezone.timedelta(days=1))
    basket = basket_of((tea, 1))
    assert basket.vouchers_known_to_be_none()

    basket.vouchers.add(voucher)
    assert not basket.vouchers_known_to_be_none()
    order = place(basket, user=AnonymousUser())

    voucher.refresh_from_db()
    assert voucher.num_orders == 1 and list(voucher.applications.values_list("order_id", flat=True)) == [order.pk]

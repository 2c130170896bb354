"""The ledger rows a sale, a delivery, a return and a refund write, and that rows never change."""
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from pos import returns
from settlement import services
from settlement.models import AppendOnly, Entry, Kind

from .conftest import deliver_online, sell_at_counter

pytestmark = pytest.mark.django_db


def test_a_counter_sale_credits_the_producer_less_the_default_commission_once(world):
    sale = sell_at_counter(world, world.tea, 2)

    rows = {e.kind: e for e in Entry.objects.filter(producer=world.producer)}
    assert rows[Kind.SALE].amount == 300000 and rows[Kind.SALE].quantity == 2
    assert rows[Kind.COMMISSION].amount == -30000 and rows[Kind.COMMISSION].rate == Decimal("10.00")
    assert rows[Kind.SALE].showroom_id == world.showroom.pk and rows[Kind.SALE].reference == str(sale.order.number)
    assert services.balance(world.producer.pk) == 270000
    assert services.record_counter_sale(sale) == 0  # recorded again: nothing written
    assert services.balance(world.producer.pk) == 270000


def test_a_counter_return_reverses_the_sale_and_its_commission(world):
    sale = sell_at_counter(world, world.tea, 2)
    line = sale.order.lines.get()

    returns.refund(sale=sale, shift=world.shift, quantities={line.pk: 1}, reason="Vỡ hộp")

    assert services.balance(world.producer.pk) == 135000
    back = Entry.objects.get(producer=world.producer, kind=Kind.RETURN)
    assert (back.amount, back.quantity) == (-150000, -1)
    assert Entry.objects.get(producer=world.producer, kind=Kind.COMMISSION_BACK).amount == 15000


def test_the_counter_discount_is_spread_over_the_lines_by_value(world):
    from pos import cart as carts

    cart = carts.cart_for(world.cashier, world.showroom)
    carts.add(cart, world.tea, 1)
    carts.add(cart, world.honey, 1)
    from pos.models import PosCart

    PosCart.objects.filter(pk=cart.pk).update(discount=Decimal(33500), discount_reason="Khách quen")
    cart.refresh_from_db()
    from pos import sale as sales

    sale, _new = sales.complete_sale(cart_id=cart.pk, basket_id=cart.basket_id, version=cart.version,
                                     shift=world.shift, tender=sales.Tender(cash_tendered=Decimal(400000)))
    assert sale.order.total_incl_tax == Decimal(301500)
    tea = Entry.objects.get(producer=world.producer, kind=Kind.SALE).amount
    honey = Entry.objects.get(producer=world.other, kind=Kind.SALE).amount
    assert (tea, honey) == (135000, 166500)  # 10 % off each, what the customer paid


def test_ledger_rows_are_never_updated_or_deleted(world):
    sell_at_counter(world, world.tea)
    row = Entry.objects.filter(producer=world.producer).first()
    row.amount = 1
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=row.pk).update(amount=1)
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=row.pk).delete()
    assert Entry.objects.get(pk=row.pk).amount != 1


def test_an_online_line_is_credited_at_delivery_and_a_refund_reverses_it(world):
    order = deliver_online((world.tea, 3))
    line = order.lines.get()
    assert services.balance(world.producer.pk) == 405000  # 450.000 − 10 %

    result = services.record_refund(line=line, quantity=1, reference="RF-1")

    assert result.written == 2 and result.balance_after == 270000
    assert services.record_refund(line=line, quantity=1, reference="RF-1").written == 0  # replayed
    with pytest.raises(services.SettlementError, match="Only 2"):
        services.record_refund(line=line, quantity=3, reference="RF-2")
    assert services.balance(world.producer.pk) == 270000


def test_a_refund_of_a_line_never_delivered_writes_nothing(world):
    from tests.checkout.stock.factories import basket_of, place

    order = place(basket_of((world.tea, 1)))
    assert services.record_refund(line=order.lines.get(), quantity=1, reference="RF-X").written == 0
    assert not Entry.objects.filter(producer=world.producer).exists()


def test_the_card_source_name_is_the_payment_fork_s():
    from shop.payment.stripe_checkout import SOURCE_TYPE

    assert services.CARD_SOURCE == SOURCE_TYPE


def test_shipping_and_card_fees_follow_the_settings(world, settings):
    settings.SETTLEMENT_PAYMENT_FEE_PERCENT = "2"
    settings.SETTLEMENT_SHIPPING_BORNE_BY = "producer"
    from tests.checkout.stock.factories import basket_of, place

    Order = get_model("order", "Order")
    order = place(basket_of((world.tea, 1), (world.honey, 1)))
    Order.objects.filter(pk=order.pk).update(status="Delivered", shipping_incl_tax=Decimal(30000),
                                             shipping_excl_tax=Decimal(30000))
    order.refresh_from_db()
    SourceType = get_model("payment", "SourceType")
    order.sources.create(source_type=SourceType.objects.get_or_create(name="Stripe")[0], amount_debited=order.total_incl_tax)
    services.record_delivery(list(order.lines.all()))

    kinds = {e.kind: e.amount for e in Entry.objects.filter(producer=world.producer)}
    assert kinds[Kind.PAYMENT_FEE] == -3000  # 2 % of 150.000
    assert kinds[Kind.SHIPPING] == 13433  # 30.000 × 150/335, rounded
    assert Entry.objects.get(producer=world.other, kind=Kind.SHIPPING).amount == 16567

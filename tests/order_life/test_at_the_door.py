"""Delivered, refused at the door, received back: what the order, its money and its stock become,
whichever channel reports it, and that reporting twice changes nothing."""
from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model

from notifications.models import Kind, Notification
from shop.order import lifecycle, services, statuses
from shop.order.lifecycle import LifecycleError
from shop.partner import stock as stock_ledger
from shop.payment import methods

from .conftest import A_SKU, B_SKU, SHIPPING, line_of, pay, place_order, record, ship_all

pytestmark = pytest.mark.django_db
PaymentEvent = get_model("order", "PaymentEvent")
StockMovement = get_model("partner", "StockMovement")


def stock(sku):
    r = record(sku)
    return r.num_in_stock, r.num_allocated or 0


def test_a_cod_parcel_delivered_records_the_cash_and_the_order_is_paid(office, django_capture_on_commit_callbacks):
    order = place_order((A_SKU, 2))
    in_stock, allocated = stock(A_SKU)
    order = ship_all(order)
    assert lifecycle.cod_amount(order=order) == order.total_incl_tax  # the lines and the shipping charge

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = lifecycle.deliver(order=order, actor=office, cod_amount=order.total_incl_tax,
                                  cod_reference="PT-0001", channel="office")
    order.refresh_from_db()
    assert moved == 1 and order.status == statuses.DELIVERED
    assert line_of(order, A_SKU).status == statuses.LINE_DELIVERED
    assert services.amount_paid(order) == order.total_incl_tax and services.is_paid(order)
    assert list(order.payment_events.values_list("reference", "amount")) == [("PT-0001", order.total_incl_tax)]
    # The units left the producer: out of stock, no longer allocated.
    assert stock(A_SKU) == (in_stock - 2, allocated - 2)
    subjects = [m.subject for m in mail.outbox if m.to == ["khach@example.vn"]]
    assert f"Đơn hàng {order.number} của bạn đã được giao" in subjects
    # The producer who did not report it hears of it.
    assert Notification.objects.filter(order=order, kind=Kind.DELIVERED, partner=line_of(order, A_SKU).partner).count() == 1


def test_handing_over_twice_records_nothing_twice(office):
    order = ship_all(place_order((A_SKU, 1)))
    assert lifecycle.deliver(order=order, actor=office, cod_reference="PT-1") == 1
    before = stock(A_SKU)
    assert lifecycle.deliver(order=order, actor=office, cod_reference="PT-2") == 0  # a double tap, a replayed webhook
    assert lifecycle.deliver(order=order, actor=office, cod_amount=Decimal(1), cod_reference="PT-1") == 0
    assert order.payment_events.count() == 1 and stock(A_SKU) == before
    assert order.shipping_events.filter(event_type__name="Delivered").count() == 1


def test_cash_more_than_owed_is_refused_with_nothing_written(office):
    order = ship_all(place_order((A_SKU, 1)))
    with pytest.raises(LifecycleError) as error:
        lifecycle.deliver(order=order, actor=office, cod_amount=order.total_incl_tax + 1)
    assert "nhiều hơn" in error.value.messages[0]
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED and order.payment_events.count() == 0
    assert line_of(order, A_SKU).status == statuses.LINE_SHIPPED


@pytest.mark.parametrize("amount", ["abc", "1e999", "NaN", "-1", "10.5", [1]])
def test_cash_that_is_no_whole_number_of_dong_is_refused(office, amount):
    order = ship_all(place_order((A_SKU, 1)))  # as a carrier webhook might send it
    with pytest.raises(LifecycleError, match="số đồng nguyên"):
        lifecycle.deliver(order=order, actor=None, cod_amount=amount, channel="ghn")
    assert order.payment_events.count() == 0


def test_a_line_not_in_the_order_or_not_shipped_cannot_move(office, producer_a):
    order = ship_all(place_order((A_SKU, 1)))
    other = place_order((B_SKU, 1))
    for bad in ([line_of(other, B_SKU).pk], ["abc"], [10**30]):
        with pytest.raises(LifecycleError, match="không thuộc đơn hàng"):
            lifecycle.refuse(order=order, actor=office, line_ids=bad, reason="Khách không nghe máy")
    unshipped = place_order((A_SKU, 1))  # a parcel that never left cannot be refused at the door
    with pytest.raises(LifecycleError, match="Cần chuẩn bị"):
        lifecycle.refuse(order=unshipped, actor=office, line_ids=[line_of(unshipped, A_SKU).pk], reason="x")
    with pytest.raises(LifecycleError, match="không phải của bạn"):
        lifecycle.deliver(order=order, partner=producer_a, line_ids=[line_of(other, B_SKU).pk])
    assert order.shipping_events.filter(event_type__name__in=["Delivered", "Refused"]).count() == 0


def test_a_whole_parcel_refused_then_received_back_restocks_and_writes_off(office, user_a,
                                                                           django_capture_on_commit_callbacks):
    order = place_order((A_SKU, 3))
    in_stock, allocated = stock(A_SKU)
    order = ship_all(order)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.refuse(order=order, actor=None, reason="Khách từ chối nhận", channel="ghn") == 1
    order.refresh_from_db()
    assert order.status == statuses.REFUSED and services.amount_due(order) == 0
    assert stock(A_SKU) == (in_stock - 3, allocated - 3)  # on the carrier's truck, not on the shelf
    assert any(m.subject == f"Đơn hàng {order.number} của bạn chưa giao được" for m in mail.outbox)
    assert Notification.objects.filter(order=order, kind=Kind.REFUSED).count() == 1
    assert lifecycle.refuse(order=order, reason="again") == 0  # the carrier's webhook, replayed

    line = line_of(order, A_SKU)
    with pytest.raises(LifecycleError, match="lý do"):  # damaged units need a reason
        lifecycle.receive_back(order=order, actor=user_a, partner=line.partner, damaged={line.pk: 1})
    with pytest.raises(LifecycleError):
        lifecycle.receive_back(order=order, actor=user_a, partner=line.partner, damaged={line.pk: 4}, reason="vỡ")
    assert lifecycle.receive_back(order=order, actor=user_a, partner=line.partner, damaged={line.pk: 1},
                                  reason="Hộp bị móp, hạt ẩm") == 1
    order.refresh_from_db()
    assert order.status == statuses.RETURNED and line_of(order, A_SKU).status == statuses.LINE_RECEIVED_BACK
    assert stock(A_SKU) == (in_stock - 3 + 2, allocated - 3)  # two back on the shelf, one written off
    assert lifecycle.receive_back(order=order, actor=user_a, partner=line.partner) == 0
    assert stock(A_SKU) == (in_stock - 1, allocated - 3)
    assert "Hộp bị móp" in order.notes.order_by("pk").last().message
    # Each movement is a ledger row, and the ledger adds up.
    reasons = list(StockMovement.objects.filter(order_line_id=line.pk).order_by("pk")
                   .values_list("reason", "delta_in_stock"))
    assert reasons[-4:] == [("handed_over", -3), ("received_back", 2), ("received_back", 1), ("written_off", -1)]
    assert stock_ledger.audit() == []


def test_some_lines_refused_at_the_door_and_the_rest_kept_and_paid(office):
    order = ship_all(place_order((A_SKU, 1), (B_SKU, 2)))
    tea = line_of(order, B_SKU)
    lifecycle.refuse(order=order, actor=office, line_ids=[tea.pk], reason="Khách chỉ lấy cà phê")
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED  # the coffee is still at the door
    owed = order.total_incl_tax - tea.line_price_incl_tax
    assert services.amount_due(order) == owed
    assert lifecycle.cod_amount(order=order) == owed  # coffee plus the shipping charge
    lifecycle.deliver(order=order, actor=office, cod_reference="PT-9")
    order.refresh_from_db()
    assert order.status == statuses.DELIVERED and services.is_paid(order)
    assert services.amount_paid(order) == owed


def test_each_producer_collects_for_their_parcel_and_the_last_carries_the_shipping(producer_a, producer_b, office):
    order = ship_all(place_order((A_SKU, 1), (B_SKU, 1)))
    coffee, tea = line_of(order, A_SKU), line_of(order, B_SKU)
    assert lifecycle.cod_amount(order=order, lines=[coffee]) == coffee.line_price_incl_tax
    lifecycle.deliver(order=order, partner=producer_a, actor=None, channel="ghn", cod_reference="GHN-A")
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED and not services.is_paid(order)
    assert lifecycle.cod_amount(order=order) == tea.line_price_incl_tax + SHIPPING
    lifecycle.deliver(order=order, partner=producer_b, actor=None, channel="ghn", cod_reference="GHN-B")
    order.refresh_from_db()
    assert order.status == statuses.DELIVERED and services.is_paid(order)
    assert sorted(order.payment_events.values_list("reference", flat=True)) == ["GHN-A", "GHN-B"]


def test_a_parcel_delivered_before_another_producer_ships_lets_the_order_follow(producer_a, producer_b, office):
    from producer_portal import fulfilment

    order = place_order((A_SKU, 1), (B_SKU, 1))
    fulfilment.mark_shipped(order=order, partner=producer_a, carrier="GHN")
    lifecycle.deliver(order=order, partner=producer_a, cod_reference="A")
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING
    fulfilment.mark_shipped(order=order, partner=producer_b, carrier="GHN")
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED
    lifecycle.deliver(order=order, partner=producer_b, cod_reference="B")
    order.refresh_from_db()
    assert order.status == statuses.DELIVERED


def test_a_prepaid_order_delivered_records_no_cash_and_a_prepaid_refusal_is_flagged(office):
    order = ship_all(pay(place_order((A_SKU, 1), method=methods.VIETQR)))
    assert lifecycle.cod_amount(order=order) == 0
    lifecycle.deliver(order=order, actor=office)
    assert order.payment_events.count() == 1  # the transfer only

    refused = ship_all(pay(place_order((A_SKU, 1), method=methods.VIETQR), reference="FT-2"))
    lifecycle.refuse(order=refused, actor=office, reason="Sai địa chỉ")
    assert refused.notes.filter(note_type="Warning").exists()


def test_a_cancelled_order_cannot_be_delivered(office):
    order = place_order((A_SKU, 1))
    services.cancel_order(order=order, reason="test")
    with pytest.raises(LifecycleError, match="Đã hủy"):
        lifecycle.deliver(order=order, actor=office)


def test_the_parcel_carrying_the_shipping_refused_the_other_kept_leaves_nothing_owed(office):
    """A carrier's waybills fix each parcel's cash when they are printed: the shipping charge rides on
    one of them (carriers/shipments.cod_for). When that parcel comes back refused and the other is
    delivered, the shopper paid all the carrier asked; the shop bears the carriage it could not
    collect, as it does for a whole refused order, and the order is paid, not owing for ever."""
    order = ship_all(place_order((A_SKU, 1), (B_SKU, 2)))
    coffee, tea = line_of(order, A_SKU), line_of(order, B_SKU)
    lifecycle.deliver(order=order, actor=office, line_ids=[coffee.pk], cod_amount=coffee.line_price_incl_tax,
                      cod_reference="COD-A")
    lifecycle.refuse(order=order, actor=office, line_ids=[tea.pk], reason="Khách không nhận kiện chè")
    order.refresh_from_db()
    assert services.amount_paid(order) == coffee.line_price_incl_tax
    assert services.amount_due(order) == coffee.line_price_incl_tax and services.is_paid(order)


def test_a_refused_line_leaves_the_shipping_to_be_collected_with_the_lines_still_on_the_way(office):
    order = ship_all(place_order((A_SKU, 1), (B_SKU, 2)))
    coffee, tea = line_of(order, A_SKU), line_of(order, B_SKU)
    lifecycle.refuse(order=order, actor=office, line_ids=[tea.pk], reason="Khách không nhận kiện chè")
    assert lifecycle.cod_amount(order=order) == coffee.line_price_incl_tax + SHIPPING
    lifecycle.deliver(order=order, actor=office, cod_reference="COD-A")
    order.refresh_from_db()
    assert services.amount_paid(order) == coffee.line_price_incl_tax + SHIPPING and services.is_paid(order)
    assert services.amount_paid(order) == services.amount_due(order)  # nothing to refund

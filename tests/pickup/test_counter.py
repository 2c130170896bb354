"""The showroom's pick-up desk: the list, finding an order, receiving the producer's goods,
taking the payment into the shift's drawer, handing over with a receipt; never twice, never at
the wrong showroom."""
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from notifications.models import Notification
from pickups.models import Pickup, State
from pos import shifts
from pos.models import PickupPayment
from shop.order import services as order_services
from tests.catalog_ext.storefront.helpers import body

from .world import after_commit, net, place_pickup, producer_record

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


def page(client, url, **params):
    return body(client.get(url, params))


def collect(client, order, **money):
    return client.post(reverse("pos:pickup-collect", kwargs={"number": order.number}), money, follow=True)


def test_a_shelf_order_is_ready_at_once_and_listed_under_ready(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 2)])

    assert Pickup.objects.get(order=order).state == State.READY
    assert net(desk.honey_shelf) == (5, 2)
    listing = page(desk.client, reverse("pos:pickups"), tab="ready")
    assert f'data-order="{order.number}"' in listing
    assert 'data-tab="ready"' in listing and "Sẵn sàng để nhận" in listing


def test_cash_at_the_counter_goes_into_the_shift_and_the_handover_consumes_the_shelf(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 2)])  # 370.000 ₫
    before = shifts.expected_cash(desk.shift)

    response = collect(desk.client, order, cash_tendered="400.000")

    receipt = body(response)
    assert f'id="receipt-number">{order.number}<' in receipt
    assert "370.000 ₫" in receipt and 'id="receipt-change">30.000 ₫<' in receipt
    order.refresh_from_db()
    assert order.status == "Delivered" and order_services.is_paid(order)
    assert net(desk.honey_shelf) == (3, 0)
    assert shifts.expected_cash(desk.shift) == before + Decimal(370000)
    pickup = Pickup.objects.get(order=order)
    assert pickup.state == State.COLLECTED and pickup.collected_by == desk.cashier
    assert page(desk.client, reverse("pos:pickups"), tab="collected").count(f'data-order="{order.number}"') == 1


def test_handing_over_twice_takes_the_money_and_the_goods_once(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 1)])
    collect(desk.client, order, cash_tendered="185000")

    again = body(collect(desk.client, order, cash_tendered="185000"))

    assert "đã được giao" in again and "không làm lại lần nào" in again
    assert PickupPayment.objects.filter(order=order).count() == 1
    assert order_services.amount_paid(order) == Decimal(185000)
    assert net(desk.honey_shelf) == (4, 0)


def test_too_little_cash_is_refused_with_the_amount_due_and_nothing_changes(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 1)])

    response = collect(desk.client, order, cash_tendered="100000")

    assert "ít hơn số phải trả bằng tiền mặt (185.000 ₫)" in body(response)
    assert Pickup.objects.get(order=order).state == State.READY
    assert not PickupPayment.objects.filter(order=order).exists() and net(desk.honey_shelf) == (5, 1)


def test_an_order_paid_online_is_handed_over_without_taking_money(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 1)])
    order_services.record_payment(order=order, amount=order.total_incl_tax, reference="VCB-123", source_type="VietQR")

    detail = page(desk.client, reverse("pos:pickup", kwargs={"number": order.number}))
    assert 'id="pickup-paid"' in detail and 'name="cash_tendered"' not in detail
    refused = body(collect(desk.client, order, cash_tendered="185000"))
    assert "đã được thanh toán" in refused

    collect(desk.client, order)

    assert Pickup.objects.get(order=order).state == State.COLLECTED
    assert not PickupPayment.objects.filter(order=order).exists()


def test_goods_off_the_shelf_wait_for_the_producer_then_move_onto_the_shelf(desk):
    order = place_pickup(desk.showroom, [(desk.tea, 3)])
    producer = producer_record(desk.tea)
    assert Pickup.objects.get(order=order).state == State.WAITING
    assert net(producer) == (50, 3)
    assert Notification.objects.filter(order=order, partner=desk.producer, kind="new_order").exists()

    refused = body(collect(desk.client, order, cash_tendered="450000"))
    assert "chưa được nhà sản xuất mang đến" in refused

    with after_commit():
        response = desk.client.post(reverse("pos:pickup-receive", kwargs={"number": order.number}), follow=True)

    assert "đơn đã sẵn sàng" in body(response)
    shelf = StockRecord.objects.get(partner=desk.showroom.partner, product=desk.tea)
    assert net(producer) == (47, 0) and net(shelf) == (3, 3)
    line = order.lines.get()
    assert line.stockrecord_id == shelf.pk and line.partner_id == desk.producer.pk  # still the producer's sale
    assert order.communication_events.filter(event_type__code="ORDER_READY").exists()
    again = desk.client.post(reverse("pos:pickup-receive", kwargs={"number": order.number}), follow=True)
    assert "Không có gì để nhận: hàng này đã được nhận rồi." in body(again)
    assert net(shelf) == (3, 3) and net(producer) == (47, 0)

    collect(desk.client, order, cash_tendered="450000")
    assert net(shelf) == (0, 0)


def test_the_wrong_showroom_is_told_where_and_can_do_nothing(desk, client):
    order = place_pickup(desk.showroom, [(desk.honey, 1)])
    client.force_login(desk.other_cashier)
    shifts.open_shift(user=desk.other_cashier, showroom=desk.other, opening_float=Decimal(0))

    detail = page(client, reverse("pos:pickup", kwargs={"number": order.number}))
    response = collect(client, order, cash_tendered="185000")

    assert f"Đơn {order.number} được nhận tại {desk.showroom.name}" in detail
    assert 'id="pickup-collect"' not in detail
    assert f"được nhận tại {desk.showroom.name}" in body(response)
    assert Pickup.objects.get(order=order).state == State.READY
    assert not PickupPayment.objects.exists() and net(desk.honey_shelf) == (5, 1)


def test_the_counter_finds_an_order_by_number_or_by_phone(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 1)], phone="+84912000111")
    second = place_pickup(desk.showroom, [(desk.honey, 1)], phone="+84912000111")
    other = place_pickup(desk.showroom, [(desk.honey, 1)], phone="+84912999888")

    by_number = desk.client.get(reverse("pos:pickups"), {"q": order.number})
    by_phone = page(desk.client, reverse("pos:pickups"), q="0912 000 111")

    assert by_number.status_code == 302 and by_number["Location"] == f"/pos/pickups/{order.number}/"
    assert f'data-order="{order.number}"' in by_phone and f'data-order="{second.number}"' in by_phone
    assert f'data-order="{other.number}"' not in by_phone
    assert page(desk.client, reverse("pos:pickups"), q="0000000").count("data-order=") == 0


def test_the_z_report_lists_pick_up_money_apart_from_sales(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 1)])
    collect(desk.client, order, cash_tendered="185000")

    report = page(desk.client, reverse("pos:shift-report", kwargs={"pk": desk.shift.pk}))

    assert 'id="z-sales">0<' in report
    assert 'id="z-pickups"' in report and "185.000 ₫" in report


def test_the_receipt_of_an_order_not_yet_handed_over_sends_back_to_the_order(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 1)])

    response = desk.client.get(reverse("pos:pickup-receipt", kwargs={"number": order.number}), follow=True)

    assert response.redirect_chain == [(f"/pos/pickups/{order.number}/", 302)]
    assert "chưa được giao" in body(response)


def test_another_showroom_cannot_print_the_receipt_and_an_unknown_number_is_not_found(desk, client):
    order = place_pickup(desk.showroom, [(desk.honey, 1)])
    collect(desk.client, order, cash_tendered="185000")
    client.force_login(desk.other_cashier)

    assert client.get(reverse("pos:pickup-receipt", kwargs={"number": order.number})).status_code == 404
    assert client.get(reverse("pos:pickup", kwargs={"number": "999999999"})).status_code == 404


def test_the_pick_up_list_costs_the_same_queries_for_one_order_or_many(desk, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    place_pickup(desk.showroom, [(desk.honey, 1)])
    with CaptureQueriesContext(connection) as one:
        page(desk.client, reverse("pos:pickups"), tab="ready")
    for _ in range(4):
        place_pickup(desk.showroom, [(desk.honey, 1)])

    with django_assert_max_num_queries(len(one)):
        listing = page(desk.client, reverse("pos:pickups"), tab="ready")

    assert listing.count("data-order=") == 5


def test_the_desk_says_when_each_kind_of_pick_up_expires(desk, settings):
    settings.PICKUP_HOLD_DAYS, settings.PICKUP_GOODS_DAYS = 5, 9
    listing = page(desk.client, reverse("pos:pickups"))
    assert "không được nhận trong vòng 5 ngày sẽ bị hủy" in listing
    assert "chưa về đủ điểm trưng bày trong 9 ngày kể từ khi đặt cũng bị hủy" in listing

"""The stock ledger: every change of a stock record's counts is a movement saying why, the counts are
the sums of the movements, and each operation is refused (with the user's message, nothing written)
or done once however often it is asked."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation
from oscar.core.loading import get_model

from producer_portal import fulfilment
from shop.order import services, statuses
from shop.partner import stock
from shop.partner.models import StockWriteOutsideLedger
from tests.checkout.stock.factories import basket_of, make_product, place, stockrecord

Reason = stock.Reason
StockMovement = get_model("partner", "StockMovement")
StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def counts(product):
    record = stockrecord(product)
    return record.num_in_stock, record.num_allocated or 0


def reasons(product):
    return list(StockMovement.objects.filter(stockrecord=stockrecord(product)).order_by("pk")
                .values_list("reason", "delta_in_stock", "delta_allocated"))


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(username="kho", email="kho@example.vn", password="x-secret-kho-1")


def shipped(order, *, actor=None):
    """The order paid on delivery, every line handed to a carrier by its producer."""
    for partner_id in set(order.lines.values_list("partner_id", flat=True)):
        fulfilment.mark_shipped(order=order, partner=order.lines.filter(partner_id=partner_id).first().partner,
                                carrier="Viettel Post", tracking_number="VTP1", actor=actor)


def test_a_new_record_starts_its_ledger_with_what_it_was_made_with():
    tea = make_product(title="Chè Shan tuyết", stock=12, allocated=2)

    assert reasons(tea) == [(Reason.CREATED, 12, 2)]
    assert stock.audit(StockRecord.objects.filter(product=tea)) == []


def test_an_order_holds_its_units_and_the_hand_over_takes_them_out_of_stock(staff):
    tea = make_product(title="Chè Shan tuyết", stock=10)
    order = place(basket_of((tea, 3)))
    line = order.lines.get()
    assert counts(tea) == (10, 3)

    shipped(order, actor=staff)

    assert counts(tea) == (7, 0)
    assert reasons(tea) == [(Reason.CREATED, 10, 0), (Reason.ALLOCATED, 0, 3), (Reason.HANDED_OVER, -3, -3)]
    handed = StockMovement.objects.get(reason=Reason.HANDED_OVER, stockrecord=stockrecord(tea))
    assert (handed.order_line, handed.actor, handed.in_stock_after, handed.allocated_after) == (line, staff, 7, 0)
    assert handed.source.carrier == "Viettel Post"  # the producer's Shipment
    line.refresh_from_db()
    assert line.num_allocated == 0


def test_handing_over_twice_changes_nothing_the_second_time(staff):
    tea = make_product(title="Chè Shan tuyết", stock=10)
    order = place(basket_of((tea, 3)))
    shipped(order, actor=staff)

    assert stock.consume_lines(order.lines.all(), actor=staff) == 0
    with pytest.raises(ValidationError):  # the producer's second tap: the order has shipped
        shipped(order, actor=staff)

    assert counts(tea) == (7, 0)
    assert StockMovement.objects.filter(reason=Reason.HANDED_OVER).filter(stockrecord=stockrecord(tea)).count() == 1


def test_a_cancelled_order_gives_its_held_units_back_once():
    tea = make_product(title="Chè Shan tuyết", stock=10)
    order = place(basket_of((tea, 4)))

    assert services.cancel_order(order=order, reason="Khách huỷ") is True
    assert services.cancel_order(order=order, reason="Khách huỷ") is False
    assert stock.release_lines(order.lines.all(), actor=None) == 0

    assert counts(tea) == (10, 0)
    assert reasons(tea)[-1] == (Reason.RELEASED, 0, -4)


def test_goods_received_back_return_to_stock_never_more_than_went_out(staff):
    tea = make_product(title="Chè Shan tuyết", stock=10)
    order = place(basket_of((tea, 3)))
    shipped(order)
    line = order.lines.get()

    with pytest.raises(stock.StockError) as refused, translation.override("vi"):
        stock.receive_back(line=line, quantity=4, actor=staff)
    assert "Chỉ có 3" in str(refused.value)

    first = stock.receive_back(line=line, quantity=2, actor=staff, note="Khách từ chối nhận", source=order)
    again = stock.receive_back(line=line, quantity=2, actor=staff, note="Khách từ chối nhận", source=order)  # retried

    assert first == again
    assert counts(tea) == (9, 0)
    assert stock.returnable(line) == 1
    stock.receive_back(line=line, quantity=1, actor=staff, damaged=True, note="Hộp bị móp")
    assert counts(tea) == (9, 0)  # back, and written off at once
    assert reasons(tea)[-2:] == [(Reason.RECEIVED_BACK, 1, 0), (Reason.WRITTEN_OFF, -1, 0)]
    assert stock.returnable(line) == 0
    with pytest.raises(stock.StockError):
        stock.receive_back(line=line, quantity=1, actor=staff)


def test_a_write_off_takes_only_free_units_and_keeps_its_reason(staff):
    tea = make_product(title="Chè Shan tuyết", stock=5)
    place(basket_of((tea, 3)))

    with pytest.raises(stock.StockError), translation.override("vi"):
        stock.write_off(stockrecord=stockrecord(tea), quantity=3, actor=staff, reason="Vỡ")
    with pytest.raises(stock.StockError):
        stock.write_off(stockrecord=stockrecord(tea), quantity=1, actor=staff, reason="  ")
    movement = stock.write_off(stockrecord=stockrecord(tea), quantity=2, actor=staff, reason="Vỡ khi xếp kệ")

    assert counts(tea) == (3, 3)
    assert (movement.reason, movement.delta_in_stock, movement.note, movement.actor) == (
        Reason.WRITTEN_OFF, -2, "Vỡ khi xếp kệ", staff)


def test_a_count_is_never_set_below_what_orders_hold_and_no_change_writes_no_row(staff):
    tea = make_product(title="Chè Shan tuyết", stock=10)
    place(basket_of((tea, 4)))

    with pytest.raises(stock.StockError) as refused, translation.override("vi"):
        stock.set_counted(stockrecord=stockrecord(tea), counted=3, actor=staff, reason=Reason.STOCKTAKE)
    assert "4" in str(refused.value)
    assert stock.set_counted(stockrecord=stockrecord(tea), counted=10, actor=staff, reason=Reason.STOCKTAKE) is None
    moved = stock.set_counted(stockrecord=stockrecord(tea), counted=6, actor=staff, reason=Reason.PORTAL_EDIT)

    assert (moved.delta_in_stock, moved.in_stock_after, moved.allocated_after) == (-4, 6, 4)
    assert counts(tea) == (6, 4)


def test_a_transfer_moves_free_units_only(staff):
    tea = make_product(title="Chè Shan tuyết", stock=5)
    shelf = StockRecord.objects.create(product=tea, partner=stockrecord(tea).partner.__class__.objects.create(
        code="showroom-thu", name="Điểm thử"), partner_sku="SHELF-1", price=1, num_in_stock=0)
    place(basket_of((tea, 2)))
    producer = StockRecord.objects.exclude(pk=shelf.pk).get(product=tea)

    with pytest.raises(stock.StockError):
        stock.transfer_units(from_record=producer, to_record=shelf, quantity=4, actor=staff)
    stock.transfer_units(from_record=producer, to_record=shelf, quantity=3, actor=staff, note="PX-1")

    producer.refresh_from_db()
    shelf.refresh_from_db()
    assert (producer.num_in_stock, producer.num_allocated, shelf.num_in_stock) == (2, 2, 3)
    assert [m.reason for m in stock.history(shelf)] == [Reason.TRANSFER_IN]


def test_a_line_can_be_served_from_another_record(staff):
    tea = make_product(title="Chè Shan tuyết", stock=5)
    shelf = StockRecord.objects.create(product=tea, partner=stockrecord(tea).partner.__class__.objects.create(
        code="showroom-thu", name="Điểm thử"), partner_sku="SHELF-1", price=1, num_in_stock=2)
    line = place(basket_of((tea, 2))).lines.get()
    producer = line.stockrecord

    stock.reallocate_line(line=line, to_record=shelf, actor=staff)

    line.refresh_from_db()
    producer.refresh_from_db()
    shelf.refresh_from_db()
    assert (line.stockrecord_id, line.partner_sku) == (shelf.pk, "SHELF-1")
    assert (producer.num_allocated, shelf.num_allocated) == (0, 2)
    with pytest.raises(stock.StockError):  # the shelf has no third unit
        stock.reallocate_line(line=place(basket_of((tea, 1))).lines.get(), to_record=shelf, actor=staff)


def test_the_history_is_newest_first_and_stops_at_fifty(staff):
    tea = make_product(title="Chè Shan tuyết", stock=100)
    for n in range(60):
        stock.adjust(stockrecord=stockrecord(tea), delta=1, actor=staff, reason=Reason.RECEIVED, note=f"#{n}")

    history = stock.history(stockrecord(tea))

    assert len(history) == 50
    assert [m.note for m in history[:2]] == ["#59", "#58"]
    assert history[0].in_stock_after == 160


def test_saving_a_changed_count_is_refused_and_a_whole_row_save_never_writes_old_counts(staff):
    tea = make_product(title="Chè Shan tuyết", stock=10)
    stale = stockrecord(tea)
    place(basket_of((tea, 3)))  # after `stale` was read

    stale.low_stock_threshold = 2
    stale.save()  # a form or the admin saving the whole row
    assert counts(tea) == (10, 3)

    stale.num_in_stock = 50
    with pytest.raises(StockWriteOutsideLedger):
        stale.save()
    assert counts(tea) == (10, 3)


def test_stock_audit_passes_on_the_ledger_and_names_a_record_written_around_it(stock_written_around_the_ledger):
    tea = make_product(title="Chè Shan tuyết", stock=10)
    place(basket_of((tea, 3)))
    out = io.StringIO()
    call_command("stock_audit", stdout=out)
    assert "match their movements" in out.getvalue()

    record = stockrecord(tea)
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=11)  # a write around the ledger
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("stock_audit", stdout=out, stderr=err)

    assert exited.value.code == 1
    assert f"#{record.pk} {record.partner_sku}: in stock 11 (ledger 10), allocated 3 (ledger 3)" in out.getvalue()
    assert "1 of" in err.getvalue()


def test_every_reason_reads_in_vietnamese():
    with translation.override("vi"):
        labels = {code: str(label) for code, label in Reason.choices}
    with translation.override("en"):
        english = {code: str(label) for code, label in Reason.choices}
    assert [code for code in labels if labels[code] == english[code]] == []
    assert labels[Reason.HANDED_OVER] == "Đã giao đi: gửi vận chuyển hoặc khách nhận"


def test_order_statuses_past_processing_keep_the_ledger_whole(staff):
    """The office marks a COD order delivered straight from Processing: what it still holds is
    handed over by whoever delivers it (orderlife calls consume_lines); here, cancelling a shipped
    order releases nothing that already left."""
    tea = make_product(title="Chè Shan tuyết", stock=10)
    order = place(basket_of((tea, 2)))
    shipped(order, actor=staff)
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED

    services.cancel_order(order=order, reason="Hoàn về")

    assert counts(tea) == (8, 0)


def test_the_office_cancelling_an_order_on_the_dashboard_gives_its_units_back(client):
    from django.urls import reverse

    tea = make_product(title="Chè Shan tuyết", stock=10)
    order = place(basket_of((tea, 3)))
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))

    client.post(reverse("dashboard:order-detail", kwargs={"number": order.number}),
                {"order_action": "change_order_status", "new_status": statuses.CANCELLED})

    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert counts(tea) == (10, 0)
    assert reasons(tea)[-1] == (Reason.RELEASED, 0, -3)


def test_lines_of_one_record_are_handed_over_and_released_with_a_movement_each_and_running_counts(staff):
    """Handing over or releasing several lines writes one movement per line, each with the record's
    counts after it, as doing the lines one by one did (the writes themselves are one per kind)."""
    wrap = get_model("catalogue", "Option").objects.create(name="Gói quà", code="goi-qua-ledger")
    tea = make_product(title="Chè Shan tuyết", stock=20)
    coffee = make_product(title="Cà phê Arabica", stock=20)
    basket = basket_of((coffee, 1))
    basket.add_product(tea, 2, options=[{"option": wrap, "value": "có"}])
    basket.add_product(tea, 3, options=[{"option": wrap, "value": "không"}])
    handed, kept = place(basket), place(basket_of((tea, 4)))

    assert stock.consume_lines(handed.lines.all(), actor=staff) == 6
    assert stock.release_lines(kept.lines.all(), actor=staff) == 4

    moves = StockMovement.objects.filter(stockrecord=stockrecord(tea), reason__in=(Reason.HANDED_OVER, Reason.RELEASED))
    assert [(m.reason, m.delta_in_stock, m.delta_allocated, m.in_stock_after, m.allocated_after)
            for m in moves.order_by("pk")] == [(Reason.HANDED_OVER, -2, -2, 18, 7), (Reason.HANDED_OVER, -3, -3, 15, 4),
                                               (Reason.RELEASED, 0, -4, 15, 0)]
    assert counts(tea) == (15, 0) and counts(coffee) == (19, 0)
    assert [line.num_allocated for line in handed.lines.order_by("pk")] == [0, 0, 0]
    assert stock.consume_lines(handed.lines.all(), actor=staff) == 0  # once

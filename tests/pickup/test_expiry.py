"""Told when ready, reminded after PICKUP_REMINDER_DAYS, cancelled after PICKUP_HOLD_DAYS with its
units free again on the shelf (beat: pickups.tasks.remind_and_expire_pickups)."""
import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pickups import services
from pickups.models import Pickup, State
from pickups.tasks import remind_and_expire_pickups
from tests.catalog_ext.storefront.helpers import body

from .world import after_commit, net, place_pickup

pytestmark = pytest.mark.django_db


def age(order, days):
    Pickup.objects.filter(order=order).update(ready_at=timezone.now() - dt.timedelta(days=days, minutes=1))


def test_the_ready_e_mail_says_where_when_how_to_pay_and_the_deadline(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 1)])

    ready = [m for m in mail.outbox if order.number in m.subject]
    assert len(ready) == 1
    assert "sẵn sàng" in ready[0].subject and desk.showroom.name in ready[0].subject
    text = ready[0].body
    assert desk.showroom.address in text
    assert "Trả tại quầy khi nhận hàng (185.000 ₫): tiền mặt, VietQR hoặc thẻ." in text
    collect_by = timezone.localtime(Pickup.objects.get(order=order).collect_by)
    assert f"Vui lòng nhận hàng trước ngày {collect_by:%d/%m/%Y}" in text


def test_a_reminder_goes_once_after_the_reminder_days(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 1)])
    age(order, settings.PICKUP_REMINDER_DAYS)
    mail.outbox.clear()

    with after_commit():
        first = services.remind_uncollected()
        second = services.remind_uncollected()

    assert first == [str(order.number)] and second == []
    assert [m.subject for m in mail.outbox if order.number in m.subject] == [
        f"Nhắc bạn: đơn hàng {order.number} đang chờ bạn tại {desk.showroom.name}"]


def test_an_order_not_collected_in_time_is_cancelled_and_its_units_freed_once(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 2)])
    fresh = place_pickup(desk.showroom, [(desk.honey, 1)])
    age(order, settings.PICKUP_HOLD_DAYS)

    with after_commit():
        result = remind_and_expire_pickups()
        again = services.expire_uncollected()

    assert result["expired"] == [str(order.number)] and again == []
    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert Pickup.objects.get(order=order).state == State.EXPIRED
    assert Pickup.objects.get(order=fresh).state == State.READY
    assert net(desk.honey_shelf) == (5, 1)
    assert order.communication_events.filter(event_type__code="ORDER_CANCELLED").exists()
    listing = body(desk.client.get(reverse("pos:pickups"), {"tab": "expired"}))
    assert f'data-order="{order.number}"' in listing


def test_an_expired_order_cannot_be_handed_over(desk):
    order = place_pickup(desk.showroom, [(desk.honey, 1)])
    age(order, settings.PICKUP_HOLD_DAYS)
    services.expire_uncollected()

    response = desk.client.post(reverse("pos:pickup-collect", kwargs={"number": order.number}),
                                {"cash_tendered": "185000"}, follow=True)

    assert "đã bị hủy" in body(response)
    assert net(desk.honey_shelf) == (5, 0)


def test_an_order_whose_goods_never_reach_the_showroom_is_cancelled_after_the_goods_days_and_its_units_freed(desk):
    """The producer brought one line and never the other: past PICKUP_GOODS_DAYS the order is cancelled
    like an uncollected one, the shelf keeps the brought units free and the producer's hold is released."""
    from oscar.core.loading import get_model

    from tests.pos.factories import make_product

    from .world import producer_record

    jam = make_product(desk.producer, title="Mứt mận Mộc Châu")
    order = place_pickup(desk.showroom, [(desk.tea, 3), (jam, 2)])
    fresh = place_pickup(desk.showroom, [(desk.tea, 1)])
    tea_line = order.lines.get(product=desk.tea)
    services.receive_goods(pickup_id=order.pickup.pk, showroom=desk.showroom, line_ids=[tea_line.pk])
    shelf = get_model("partner", "StockRecord").objects.get(partner=desk.showroom.partner, product=desk.tea)
    assert Pickup.objects.get(order=order).state == State.WAITING
    assert net(shelf) == (3, 3) and net(producer_record(jam)) == (50, 2)
    Pickup.objects.filter(order=order).update(
        created_at=timezone.now() - dt.timedelta(days=settings.PICKUP_GOODS_DAYS, minutes=1))
    assert Pickup.objects.get(order=order).expires_at < timezone.now() < Pickup.objects.get(order=fresh).expires_at

    with after_commit():
        expired = remind_and_expire_pickups()["expired"]
        again = services.expire_uncollected()

    assert expired == [str(order.number)] and again == []
    order.refresh_from_db()
    assert order.status == "Cancelled" and Pickup.objects.get(order=order).state == State.EXPIRED
    assert Pickup.objects.get(order=fresh).state == State.WAITING
    assert net(shelf) == (3, 0)  # the brought jars stay at the showroom, free to sell
    assert net(producer_record(jam)) == (50, 0) and net(producer_record(desk.tea)) == (47, 1)
    assert "Hàng của nhà sản xuất không về đến điểm trưng bày trong vòng 7 ngày" in order.notes.last().message
    assert order.communication_events.filter(event_type__code="ORDER_CANCELLED").exists()
    listing = body(desk.client.get(reverse("pos:pickups"), {"tab": "expired"}))
    assert f'data-order="{order.number}"' in listing

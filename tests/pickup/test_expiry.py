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

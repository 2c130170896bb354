"""Unpaid online orders past their deadline are cancelled, their stock released and the shopper told,
once; paid, part-paid and cash-on-delivery orders are left alone."""
import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from shop.order import expiry, services, statuses, tasks

from .factories import basket_of, make_product, place, stockrecord

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def placed(product, *, status, age):
    order = place(basket_of((product, 1)), status=status)
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - age)
    order.refresh_from_db()
    return order


def test_expiry_cancels_only_overdue_unpaid_orders_frees_their_stock_and_tells_each_shopper_once(
        django_capture_on_commit_callbacks):
    tea = make_product(title="Chè Shan tuyết", stock=10)
    card_limit = dt.timedelta(minutes=settings.CARD_PAYMENT_MINUTES) + expiry.CARD_GRACE
    transfer_limit = dt.timedelta(hours=settings.VIETQR_PAYMENT_HOURS)
    card_overdue = placed(tea, status=statuses.PENDING_PAYMENT, age=card_limit + dt.timedelta(minutes=1))
    card_open = placed(tea, status=statuses.PENDING_PAYMENT, age=card_limit - dt.timedelta(minutes=1))
    transfer_overdue = placed(tea, status=statuses.AWAITING_TRANSFER, age=transfer_limit + dt.timedelta(minutes=1))
    transfer_open = placed(tea, status=statuses.AWAITING_TRANSFER, age=transfer_limit - dt.timedelta(minutes=5))
    cod = placed(tea, status=statuses.PROCESSING, age=dt.timedelta(days=3))
    assert stockrecord(tea).num_allocated == 5
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = tasks.expire_unpaid_orders()

    assert cancelled == 2
    for order in (card_overdue, transfer_overdue, card_open, transfer_open, cod):
        order.refresh_from_db()
    assert [o.status for o in (card_overdue, transfer_overdue)] == [statuses.CANCELLED] * 2
    assert [o.status for o in (card_open, transfer_open, cod)] == [
        statuses.PENDING_PAYMENT, statuses.AWAITING_TRANSFER, statuses.PROCESSING]
    assert stockrecord(tea).num_allocated == 3
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"Đơn hàng {o.number} của bạn đã bị hủy" for o in (card_overdue, transfer_overdue))
    transfer_mail = [m for m in mail.outbox if transfer_overdue.number in m.subject][0]
    assert transfer_mail.to == ["khach@example.vn"]
    assert "Chưa thanh toán trong vòng 24 giờ" in transfer_mail.body
    assert "Chè Shan tuyết" in transfer_mail.body
    assert transfer_overdue.notes.filter(message__startswith="Chưa thanh toán trong vòng 24 giờ").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert expiry.expire_unpaid_orders() == []  # a second run changes nothing
    assert len(mail.outbox) == 2
    assert stockrecord(tea).num_allocated == 3


def test_a_paid_or_part_paid_order_is_never_cancelled(django_capture_on_commit_callbacks):
    tea = make_product(title="Chè Shan tuyết", stock=10)
    old = dt.timedelta(days=5)
    paid = placed(tea, status=statuses.AWAITING_TRANSFER, age=old)
    part_paid = placed(tea, status=statuses.AWAITING_TRANSFER, age=old)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_payment(order=paid, amount=paid.total_incl_tax, reference="FT-1", source_type="VietQR")
        services.record_payment(order=part_paid, amount=Decimal(1000), reference="FT-2", source_type="VietQR")

    with django_capture_on_commit_callbacks(execute=True):
        assert expiry.expire_unpaid_orders(now=timezone.now() + dt.timedelta(days=30)) == []

    paid.refresh_from_db()
    part_paid.refresh_from_db()
    assert (paid.status, part_paid.status) == (statuses.PROCESSING, statuses.AWAITING_TRANSFER)
    assert stockrecord(tea).num_allocated == 2


def test_payment_received_is_mailed_once_when_the_order_is_fully_paid(django_capture_on_commit_callbacks):
    tea = make_product(title="Chè Shan tuyết", stock=10)
    order = placed(tea, status=statuses.AWAITING_TRANSFER, age=dt.timedelta(hours=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.record_payment(order=order, amount=Decimal(1000), reference="PART", source_type="VietQR")
    assert mail.outbox == []  # a part payment: nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        services.record_payment(order=order, amount=order.total_incl_tax, reference="FULL", source_type="VietQR")
        services.record_payment(order=order, amount=order.total_incl_tax, reference="FULL", source_type="VietQR")

    assert [m.subject for m in mail.outbox] == [f"Chúng tôi đã nhận được thanh toán cho đơn hàng {order.number}"]
    assert "Các nhà sản xuất đang chuẩn bị hàng" in mail.outbox[0].body
    assert "150.000" in mail.outbox[0].alternatives[0][0]
    assert order.communication_events.filter(event_type__code="PAYMENT_RECEIVED").count() == 1


def test_nothing_is_mailed_when_the_cancel_is_rolled_back(django_capture_on_commit_callbacks):
    tea = make_product(title="Chè Shan tuyết", stock=10)
    order = placed(tea, status=statuses.PENDING_PAYMENT, age=dt.timedelta(hours=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as queued:
        try:
            with transaction.atomic():
                services.cancel_order(order=order, reason="Khách đổi ý")
                raise RuntimeError("the request failed after the cancel")
        except RuntimeError:
            pass

    assert queued == [] and mail.outbox == []
    order.refresh_from_db()
    assert order.status == statuses.PENDING_PAYMENT


def test_the_expiry_runs_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["expire-unpaid-orders"]
    assert entry == {"task": "shop.order.tasks.expire_unpaid_orders", "schedule": 300}

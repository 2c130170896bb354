"""The outbox: an order writes one notification per producer in its own transaction, delivery sends
one e-mail per notification however often it runs, low stock is told once per crossing."""
import datetime as dt
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from oscar.core.loading import get_model

from notifications import services
from notifications.models import Kind, Notification, Status

from .factories import make_producer, make_product, order_from

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


@pytest.fixture
def producers(db):
    coffee = make_producer("htx-ca-phe-thu", "caphe@thu.example")
    tea = make_producer("che-thu", "che@thu.example")
    return coffee, tea


def test_an_order_notifies_each_producer_with_their_lines_once(producers, django_capture_on_commit_callbacks):
    coffee, tea = producers
    beans = make_product(coffee, title="Cà phê Arabica rang mộc", price=185000)
    tea_box = make_product(tea, title="Chè Shan tuyết hộp 200g", price=120000)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_from((beans, 2), (tea_box, 1))

    rows = Notification.objects.filter(order=order).order_by("partner__code")
    assert [(n.partner.code, n.kind, n.status) for n in rows] == [
        ("che-thu", Kind.NEW_ORDER, Status.SENT), ("htx-ca-phe-thu", Kind.NEW_ORDER, Status.SENT)]
    coffee_mail = next(m for m in mail.outbox if m.to == ["caphe@thu.example"])
    # Vietnamese, their own lines and subtotal only
    assert str(order.number) in coffee_mail.subject and "Đơn hàng mới" in coffee_mail.subject
    assert "Cà phê Arabica rang mộc" in coffee_mail.body and "370.000 ₫" in coffee_mail.body
    assert "Chè Shan tuyết" not in coffee_mail.body
    assert len(mail.outbox) == 2

    # However often the delivery runs again, or the event is queued again: nothing more
    for row in rows:
        assert services.deliver(row.pk) is False
    assert services.queue_new_order(order) == []
    assert len(mail.outbox) == 2 and Notification.objects.filter(order=order).count() == 2


def test_a_rolled_back_order_leaves_no_notification(producers):
    beans = make_product(producers[0], title="Cà phê rang xay")
    with pytest.raises(RuntimeError), transaction.atomic():
        order_from((beans, 1))
        raise RuntimeError("payment step failed")
    assert not Notification.objects.exists() and mail.outbox == []


def test_the_order_commits_when_the_broker_refuses(producers, django_capture_on_commit_callbacks):
    beans = make_product(producers[0], title="Cà phê rang xay")
    services.broker_is_back()
    services.tasks_app().conf.task_always_eager = False  # a broker, and it refuses (tasks_inline restores)
    with mock.patch("notifications.tasks.deliver.delay", side_effect=ConnectionRefusedError(111, "refused")) as d:
        with django_capture_on_commit_callbacks(execute=True):
            order = order_from((beans, 1))
            second = order_from((beans, 1))
    assert d.call_count == 1  # the second publish waits out the pause instead of knocking again
    assert Notification.objects.filter(order__in=[order, second], status=Status.PENDING).count() == 2
    # Beat, a minute later, with the broker back: both delivered
    services.tasks_app().conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resend_undelivered(older_than=dt.timedelta(0)) == 2
    assert Notification.objects.filter(status=Status.SENT).count() == 2 and len(mail.outbox) == 2


def test_a_failing_delivery_records_its_attempts_then_sends_once(producers):
    beans = make_product(producers[0], title="Cà phê rang xay")
    order = order_from((beans, 1))  # no commit here: queue and deliver by hand
    notification = Notification.objects.get(order=order)
    real_send = services.renderers.send
    failures = iter([SMTPException("451"), SMTPException("451"), SMTPException("451")])

    def flaky(n):
        error = next(failures, None)
        if error:
            raise error
        return real_send(n)

    with mock.patch("notifications.renderers.send", side_effect=flaky):
        for _ in range(3):  # what each try of the task does
            with pytest.raises(SMTPException):
                services.deliver(notification.pk)
        notification.refresh_from_db()
        assert (notification.status, notification.attempts, notification.last_error) == (
            Status.PENDING, 3, "SMTPException: 451")
        assert services.deliver(notification.pk) is True
        assert services.deliver(notification.pk) is False
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, len(mail.outbox)) == (Status.SENT, 4, 1)


def test_low_stock_is_told_once_per_crossing(producers, django_capture_on_commit_callbacks):
    honey = make_product(producers[1], title="Mật ong hoa ban", stock=10, threshold=5)
    record = StockRecord.objects.get(product=honey)
    with django_capture_on_commit_callbacks(execute=True):
        order_from((honey, 5))  # 5 left: not below 5
        order_from((honey, 1))  # 4 left: crossed
        order_from((honey, 1))  # 3 left: still below, nothing new
    low = Notification.objects.filter(kind=Kind.LOW_STOCK)
    assert low.count() == 1 and low.get().payload["available"] == 4
    assert [m.subject for m in mail.outbox if "Mật ong" in m.subject] == ["Sắp hết hàng: Mật ong hoa ban (còn 4)"]

    # Restocked above the threshold, then sold below again: a second crossing, a second notice
    from shop.partner import stock

    stock.set_counted(stockrecord=record, counted=30, actor=None, reason=stock.Reason.STOCKTAKE)
    with django_capture_on_commit_callbacks(execute=True):
        order_from((honey, 20))  # 30 in stock, 7 allocated: 3 left
    assert low.count() == 2

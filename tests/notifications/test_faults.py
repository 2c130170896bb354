"""Notifications survive the broker and the worker failing: real Redis, a real Celery worker,
PostgreSQL, and transactions that really commit (the database is flushed afterwards, so every
test makes its own producers)."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from smtplib import SMTPException
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection, transaction
from oscar.core.loading import get_model

from notifications import renderers, services
from notifications.models import Notification, Status
from shop.celery import app

from .factories import make_producer, make_product, order_from

Order = get_model("order", "Order")
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


@contextlib.contextmanager
def broker(url: str, **transport_options):
    """Point the app at `url` (a fresh connection pool: the cached one knows the old broker)."""
    before = app.conf.broker_url, app.conf.broker_transport_options

    def switch(to_url, options):
        app.conf.broker_url, app.conf.broker_transport_options = to_url, options
        app._pool = None
        app.amqp._producer_pool = None

    switch(url, {**before[1], **transport_options})
    try:
        yield
    finally:
        switch(*before)


@pytest.fixture
def empty_queue(redis_url):
    with broker(redis_url):
        app.control.purge()
    services.broker_is_back()
    yield
    services.broker_is_back()


def wait_until(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def placed(*lines):
    with transaction.atomic():  # the checkout's request transaction; on_commit runs at its end
        return order_from(*lines)


def test_orders_succeed_while_the_broker_is_down_and_each_producer_hears_once_when_it_is_back(
        redis_url, empty_queue):
    coffee = make_producer("htx-ca-phe-a", "a@caphe.example")
    tea = make_producer("che-b", "b@che.example")
    beans = make_product(coffee, title="Cà phê Arabica", stock=500)
    leaves = make_product(tea, title="Chè Shan tuyết", stock=500)

    with broker(CLOSED_PORT_URL):
        orders = [placed((beans, 1), (leaves, 1)) if n % 2 else placed((beans, 2)) for n in range(20)]
    assert Order.objects.count() == 20
    assert Notification.objects.filter(status=Status.PENDING).count() == 30  # 10 two-producer orders
    assert mail.outbox == []

    with broker(redis_url), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        services.resend_undelivered(older_than=dt.timedelta(0))  # beat's run after the outage
        services.resend_undelivered(older_than=dt.timedelta(0))  # and a second one, before the first is done
        assert wait_until(lambda: not Notification.objects.filter(status=Status.PENDING).exists())

    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    expected = sorted([("a@caphe.example", f"Đơn hàng mới {o.number} cần chuẩn bị") for o in orders]
                      + [("b@che.example", f"Đơn hàng mới {o.number} cần chuẩn bị") for o in orders[1::2]])
    assert sent == expected


def test_a_delivery_failing_three_times_then_succeeding_sends_one_email(redis_url, empty_queue):
    honey = make_product(make_producer("mat-ong-c", "c@matong.example"), title="Mật ong hoa ban")
    real_send = renderers.send
    failures = [SMTPException("451 try later")] * 3

    def flaky(notification):
        if failures:
            raise failures.pop()
        return real_send(notification)

    with mock.patch("notifications.renderers.send", side_effect=flaky), \
            broker(redis_url), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        order = placed((honey, 1))
        assert wait_until(lambda: Notification.objects.filter(order=order, status=Status.SENT).exists())

    notification = Notification.objects.get(order=order)
    assert notification.attempts == 4 and notification.last_error == "SMTPException: 451 try later"
    assert [m.to for m in mail.outbox] == [["c@matong.example"]]


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_a_worker_killed_mid_delivery_hands_the_message_back_and_it_is_delivered_once(
        redis_url, empty_queue, tmp_path):
    orchid = make_product(make_producer("lan-rung-d", "d@lan.example"), title="Lan rừng Sơn La")
    marker = tmp_path / "delivering"
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url,
           "DEBUG": "1", "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen([sys.executable, "-m", "tests.notifications.killable_worker", str(marker)], cwd=ROOT,
                              env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with broker(redis_url):
            order = placed((orchid, 1))
        assert wait_until(marker.exists, 60), worker.stderr.read1().decode() if worker.poll() is not None else ""
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # mid-delivery: the message was never acknowledged
        worker.wait(10)
    notification = Notification.objects.get(order=order)
    assert notification.status == Status.PENDING and mail.outbox == []

    # Another worker: Redis hands the unacknowledged message back once its visibility timeout passes
    # (shortened here from settings' hour).
    fast_restore = {"visibility_timeout": 2, "unacked_restore_interval": 0.5, "unacked_restore_throttle": 1}
    with broker(redis_url, **fast_restore), start_worker(app, pool="solo", perform_ping_check=False,
                                                         shutdown_timeout=20):
        assert wait_until(lambda: Notification.objects.filter(pk=notification.pk, status=Status.SENT).exists())
        services.publish([notification.pk])  # a late duplicate of the message changes nothing
        assert wait_until(lambda: Notification.objects.filter(pk=notification.pk, status=Status.SENT).exists())

    notification.refresh_from_db()
    assert notification.attempts == 1  # the killed attempt rolled back with its transaction
    assert [m.to for m in mail.outbox] == [["d@lan.example"]]

"""Fault runs on the real services: PostgreSQL's connection dropped in the middle of placing an order,
Redis (broker and cache) stopped during checkout and started again, a prefork pool process killed
mid-delivery. Transactions really commit (transaction=True: the database is flushed afterwards,
so each test makes its own producers). The broker down with a closed port and a solo worker killed
mid-delivery are proved in tests/notifications/test_faults.py; this file adds what those leave out."""
from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import time
from unittest import mock

import psycopg
import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from notifications import events, services
from notifications.models import Message, MessageStatus, Notification, Status
from shop.celery import app
from shop.payment import methods
from tests.checkout.payment_methods.checkout import GUEST_EMAIL, choose_payment, start_guest_checkout
from tests.checkout.stock.factories import ensure_country
from tests.conftest import _service_missing
from tests.notifications.factories import make_producer, make_product, order_from
from tests.notifications.test_faults import ROOT, broker, database_url, wait_until
from tests.own_redis import OwnRedis, redis_server_available

Order = get_model("order", "Order")
OrderLine = get_model("order", "Line")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def sku_of(product) -> str:
    return product.stockrecords.get().partner_sku


def allocated(*products) -> int:
    return StockRecord.objects.filter(product__in=products).aggregate(n=Sum("num_allocated"))["n"] or 0


def guest_cod_checkout(client, lines, **headers):
    """The real checkout pages up to "Place order"; returns the place-order response."""
    start_guest_checkout(client, lines)
    assert choose_payment(client, methods.COD).status_code == 302
    preview = client.get(reverse("checkout:preview"))
    assert preview.status_code == 200
    return client.post(reverse("checkout:preview"), {"action": "place_order",
                                                     "basket_fingerprint": preview.context["basket_fingerprint"]},
                       **headers)


# ---------------------------------------------------------------------------- PostgreSQL
def terminate_backend(pid: int) -> None:
    """From a second connection, as a failover or an administrator would."""
    with psycopg.connect(database_url().replace("postgres://", "postgresql://"), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_dropped_between_the_order_and_its_lines_leaves_no_half_order_and_the_retry_succeeds(
        settings, caplog):
    settings.DEBUG = False  # the shopper's error page, not Django's debug page
    settings.CELERY_BROKER_URL = ""
    ensure_country()
    coffee = make_product(make_producer("htx-pg-a", "a@pg.example"), title="Cà phê Arabica", stock=50)
    tea = make_product(make_producer("che-pg-b", "b@pg.example"), title="Chè Shan tuyết", stock=50)
    lines = ((sku_of(coffee), 2), (sku_of(tea), 1))
    shopper = Client(raise_request_exception=False)
    real_create_lines = OrderCreator.create_lines  # all of an order's lines, in one INSERT per kind of row
    dropped = []

    def drop_connection_first_time(creator, order, basket_lines, **kwargs):
        if not dropped:  # the order row is written, its lines are not
            dropped.append(connection.connection.info.backend_pid)
            terminate_backend(dropped[0])
        return real_create_lines(creator, order, basket_lines, **kwargs)

    with mock.patch.object(OrderCreator, "create_lines", drop_connection_first_time), \
            caplog.at_level(logging.ERROR, logger="django.request"):
        failed = guest_cod_checkout(shopper, lines, HTTP_X_REQUEST_ID="req-pg-drop")

    assert dropped, "the hook never ran"
    assert failed.status_code == 503 and failed["Retry-After"] == "5"
    page = failed.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in page and "Giỏ hàng của bạn vẫn được giữ nguyên" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert [r.request_id for r in caplog.records if r.name == "django.request"] == ["req-pg-drop"]
    # Nothing of the failed attempt was kept: no order, no line, no allocated unit.
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0
    assert allocated(coffee, tea) == 0
    assert connection.connection is None or connection.connection.info.backend_pid != dropped[0]

    # The same basket, the same "Place order" again: a fresh connection, one whole order.
    preview = shopper.get(reverse("checkout:preview"))
    assert preview.status_code == 200
    retried = shopper.post(reverse("checkout:preview"), {"action": "place_order",
                                                         "basket_fingerprint": preview.context["basket_fingerprint"]})
    assert retried.status_code == 302 and retried["Location"].endswith(reverse("checkout:thank-you"))
    order = Order.objects.get(guest_email=GUEST_EMAIL)
    assert sorted((line.partner_sku, line.quantity) for line in order.lines.all()) == sorted(lines)
    assert allocated(coffee) == 2 and allocated(tea) == 1
    assert Basket.objects.get(pk=order.basket_id).status == Basket.SUBMITTED
    assert Notification.objects.filter(order=order).count() == 2


# ---------------------------------------------------------------------------- a worker killed after COMMIT
class WorkerKilled(Exception):
    """The web process dying right after the order's COMMIT: nothing after it happens (no publish of
    the outbox rows, no session saved, no response)."""


@pytest.mark.redis
def test_a_worker_killed_between_the_orders_commit_and_its_response_loses_neither_the_order_nor_its_confirmation(
        redis_url, settings):
    settings.DEBUG = False
    ensure_country()
    coffee = make_product(make_producer("htx-kill-a", "a@kill.example"), title="Cà phê Arabica", stock=50)
    shopper = Client(raise_request_exception=False)
    start_guest_checkout(shopper, ((sku_of(coffee), 2),))
    assert choose_payment(shopper, methods.COD).status_code == 302
    preview = shopper.get(reverse("checkout:preview"))
    data = {"action": "place_order", "basket_fingerprint": preview.context["basket_fingerprint"]}

    def killed(*args, **kwargs):
        raise WorkerKilled

    with broker(redis_url):
        app.control.purge()
        with mock.patch("notifications.services._publish", killed), \
                mock.patch("django.contrib.sessions.middleware.SessionMiddleware.process_response", killed):
            lost = shopper.post(reverse("checkout:preview"), data)
    assert lost.status_code == 500
    order = Order.objects.get(guest_email=GUEST_EMAIL)  # committed, stock held
    assert allocated(coffee) == 2
    confirmation = Message.objects.get(order=order, event=events.ORDER_PLACED)
    assert confirmation.status == MessageStatus.PENDING and mail.outbox == []
    assert Notification.objects.get(order=order).status == Status.PENDING

    # The shopper presses "Place order" again: that order's thank-you page, no second order
    retried = shopper.post(reverse("checkout:preview"), data)
    assert retried.status_code == 302 and retried["Location"] == reverse("checkout:thank-you")
    thanks = shopper.get(retried["Location"])
    assert thanks.status_code == 200 and str(order.number) in thanks.content.decode()
    assert Order.objects.count() == 1 and allocated(coffee) == 2

    # Beat's next run, a real worker: the confirmation and the producer's notice, each once
    services.broker_is_back()
    with broker(redis_url), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        services.resend_undelivered(older_than=dt.timedelta(0))
        services.resend_undelivered(older_than=dt.timedelta(0))  # an overlapping run changes nothing
        assert wait_until(lambda: not Message.objects.filter(status=MessageStatus.PENDING).exists()
                          and not Notification.objects.filter(status=Status.PENDING).exists())
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert sent == [("a@kill.example", f"Đơn hàng mới {order.number} cần chuẩn bị"),
                    (GUEST_EMAIL, f"Xác nhận của đơn hàng {order.number}")]
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.attempts) == (MessageStatus.SENT, 1)


# ---------------------------------------------------------------------------- Redis
@pytest.fixture
def own_redis(settings, tmp_path, redis_url):
    """Broker and cache on a Redis of the test's own (the shared one is never stopped)."""
    if not redis_server_available():
        _service_missing("redis-server", "needs the redis-server binary to run a Redis it may stop")
    server = OwnRedis(tmp_path, persistent=False)
    server.start()
    settings.CACHES = {"default": {
        "BACKEND": "core.redis_cache.FailFastRedisCache", "LOCATION": server.url,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True}}}
    # The broker through app.conf (broker() restores it); CELERY_BROKER_URL is left alone: the app
    # reads it through from settings, and broker() would "restore" the test's value for good.
    settings.REDIS_URL = server.url
    settings.SESSION_ENGINE = "core.sessions"
    settings.REDIS_RETRY_SECONDS = 0.2
    services.broker_is_back()
    with broker(server.url):
        yield server
    server.stop()
    services.broker_is_back()


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.mark.redis
def test_redis_stopped_during_checkout_orders_succeed_and_each_producer_hears_once_when_it_is_back(own_redis):
    ensure_country()
    coffee = make_product(make_producer("htx-rd-a", "a@redis.example"), title="Cà phê Arabica", stock=100)
    tea = make_product(make_producer("che-rd-b", "b@redis.example"), title="Chè Shan tuyết", stock=100)
    both = ((sku_of(coffee), 1), (sku_of(tea), 1))
    deliveries = Records()
    logging.getLogger("notifications.services").addHandler(deliveries)
    logging.getLogger("notifications.services").setLevel(logging.INFO)
    try:
        # Redis up, a worker running: delivered at once, its log line under the order request's id.
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            first = guest_cod_checkout(Client(), both, HTTP_X_REQUEST_ID="req-order-before")
            assert first.status_code == 302
            assert wait_until(lambda: not Notification.objects.filter(status=Status.PENDING).exists())
        delivered_lines = [r for r in deliveries.records if "delivered" in r.getMessage()]
        assert {r.request_id for r in delivered_lines} == {"req-order-before"} and len(delivered_lines) == 2

        own_redis.stop()
        started = time.monotonic()
        during = [guest_cod_checkout(Client(), both if n % 2 else ((sku_of(coffee), 2),)) for n in range(4)]
        outage_seconds = time.monotonic() - started
        assert [r.status_code for r in during] == [302] * 4
        assert all(r["Location"].endswith(reverse("checkout:thank-you")) for r in during)
        assert Order.objects.count() == 5
        assert Notification.objects.filter(status=Status.PENDING).count() == 6  # 2 two-producer orders + 2

        own_redis.start()
        services.resend_undelivered(older_than=dt.timedelta(0))  # beat's run after the outage
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            services.resend_undelivered(older_than=dt.timedelta(0))  # and a second, overlapping run
            assert wait_until(lambda: not Notification.objects.filter(status=Status.PENDING).exists())
    finally:
        logging.getLogger("notifications.services").removeHandler(deliveries)

    sent = sorted((m.to[0], m.subject) for m in mail.outbox if m.subject.startswith("Đơn hàng mới"))
    orders = list(Order.objects.order_by("pk"))
    expected = sorted([("a@redis.example", f"Đơn hàng mới {o.number} cần chuẩn bị") for o in orders]
                      + [("b@redis.example", f"Đơn hàng mới {o.number} cần chuẩn bị")
                         for o in orders if o.lines.count() == 2])
    assert sent == expected  # every producer of every order, once
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    print(f"\nfault run: 4 COD orders placed with Redis down in {outage_seconds:.2f} s; "
          f"{len(sent)} producer e-mails, each once, after it was back")


@pytest.mark.redis
def test_a_prefork_pool_process_killed_mid_delivery_is_replaced_and_the_message_delivered_once(
        redis_url, tmp_path):
    orchid = make_product(make_producer("lan-pf-d", "d@prefork.example"), title="Lan rừng Sơn La")
    marker, output = tmp_path / "delivering", tmp_path / "worker.out"
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url,
           "DEBUG": "1", "PYTHONPATH": str(ROOT), "EMAIL_URL": "consolemail://"}
    with broker(redis_url):
        app.control.purge()
    with open(output, "wb") as out:
        worker = subprocess.Popen([sys.executable, "-m", "tests.notifications.killable_worker", str(marker),
                                   "prefork"], cwd=ROOT, env=env, start_new_session=True, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        with broker(redis_url):
            order = order_from((orchid, 1))
        assert wait_until(lambda: marker.exists() and " " in marker.read_text(), 90), output.read_text()[-3000:]
        started = time.monotonic()
        child = int(marker.read_text().split()[1])
        assert child != worker.pid
        os.kill(child, signal.SIGKILL)  # the pool process only: the main process sees it lost
        notification = Notification.objects.get(order=order)
        assert wait_until(lambda: Notification.objects.filter(pk=notification.pk, status=Status.SENT).exists(), 90), \
            output.read_text()[-3000:]
        redelivered_after = time.monotonic() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
    notification.refresh_from_db()
    assert notification.attempts == 1  # the killed attempt rolled back with its connection
    log = output.read_text()
    assert log.count("\nSubject: ") == 1, log[-3000:]  # the console e-mail backend's one message
    assert "signal 9" in log or "WorkerLostError" in log, log[-3000:]
    print(f"\nfault run: prefork pool process SIGKILLed mid-delivery; delivered once by its replacement "
          f"{redelivered_after:.2f} s later")

"""Tasks travel through the real broker to a real worker when REDIS_URL is set."""
import threading

import pytest
from celery.contrib.testing.worker import start_worker

from shop.celery import app

received: list[dict] = []
arrived = threading.Event()


@app.task(name="tests.record_delivery")
def record_delivery(payload):
    received.append(payload)
    arrived.set()


@pytest.mark.redis
def test_task_is_delivered_through_redis_to_a_worker(redis_url, settings):
    assert not app.conf.task_always_eager, "with a broker configured, tasks must not run inline"
    assert app.conf.broker_url.startswith("redis://")
    received.clear()
    arrived.clear()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        record_delivery.delay({"order": "100042", "note": "Cà phê"})
        assert arrived.wait(20), "the worker never received the task"
    assert received == [{"order": "100042", "note": "Cà phê"}]


def test_without_broker_tasks_run_inline():
    """settings.py turns eager mode on when no broker is configured; this is what that gives."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        received.clear()
        record_delivery.delay({"order": "1"})
        assert received == [{"order": "1"}]
    finally:
        app.conf.task_always_eager = before

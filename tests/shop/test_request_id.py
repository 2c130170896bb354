"""Every request has an id: the proxy's X-Request-ID when it is safe, else a new one; it is on the
response, on every log record of the request, and in the tasks the request enqueues."""
import io
import json
import logging
import logging.config
import re
import threading

import pytest
from celery.contrib.testing.worker import start_worker

from core import request_id
from shop.celery import app

pytestmark = pytest.mark.django_db
NEW_ID = re.compile(r"[0-9a-f]{32}")


def test_the_proxys_id_is_kept_and_returned(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.2026:12_03-9")
    assert response["X-Request-ID"] == "lb-7f3a.2026:12_03-9"


@pytest.mark.parametrize("offered", ["", "has space", "quote\"d", "new\nline", "x" * 65, "-starts-with-dash",
                                     "mã-yêu-cầu"])
def test_an_unsafe_or_missing_id_is_replaced_by_a_new_one(client, offered):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=offered)
    assert NEW_ID.fullmatch(response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_the_id_is_on_the_log_records_of_its_request(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404-check")
    assert response.status_code == 404
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.request_id == "req-404-check"
    assert request_id.current.get() == request_id.NO_REQUEST  # and gone once the request is over


@pytest.fixture
def json_logs(settings):
    """The console handler as LOG_FORMAT=json configures it, writing to a buffer."""
    stream = io.StringIO()
    config = {**settings.LOGGING, "handlers": {"console": {**settings.LOGGING["handlers"]["console"],
                                                           "formatter": "json", "stream": stream}}}
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def test_json_log_lines_parse_and_carry_the_id(client, json_logs):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-json-1")
    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    (line,) = [entry for entry in lines if entry["logger"] == "django.request"]
    assert line["request_id"] == "req-json-1" and line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page/" and line["time"]


seen: list[str] = []
ran = threading.Event()


@app.task(name="tests.request_id_seen")
def request_id_seen():
    seen.append(request_id.current.get())
    logging.getLogger("tests.request_id").info("task ran")
    ran.set()


@pytest.mark.redis
def test_a_task_enqueued_under_a_request_id_runs_under_it_on_the_worker(redis_url):
    seen.clear()
    records = Records()
    task_logger = logging.getLogger("tests.request_id")
    task_logger.addHandler(records)
    task_logger.setLevel(logging.INFO)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        token = request_id.current.set("req-order-42")
        try:
            request_id_seen.delay()
        finally:
            request_id.current.reset(token)
        assert ran.wait(20)
        ran.clear()
        request_id_seen.delay()  # enqueued outside any request
        assert ran.wait(20)
    assert seen == ["req-order-42", request_id.NO_REQUEST]
    task_logger.removeHandler(records)
    assert [r.request_id for r in records.records] == ["req-order-42", "-"]


class Records(logging.Handler):
    """Records as the worker's thread emits them (Celery's worker set-up may replace root handlers)."""

    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_gunicorns_access_line_is_json_with_the_request_id(tmp_path):
    """gunicorn.conf.py (read from the working directory, as in the image) under LOG_FORMAT=json."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    port = 8652
    env = {**os.environ, "LOG_FORMAT": "json", "DEBUG": "1", "SECRET_KEY": "test-only",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "REDIS_URL": "", "CELERY_BROKER_URL": ""}
    out = open(tmp_path / "gunicorn.out", "wb")
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "shop.wsgi:application", "--bind",
                               f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", "-"],
                              cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz",
                                         headers={"X-Request-ID": "req-gunicorn-1"})
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (127.0.0.1)
                    assert response.headers["X-Request-ID"] == "req-gunicorn-1"
                    break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "gunicorn.out").read_text()[-2000:]
                time.sleep(0.3)
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(20)
        out.close()
    lines = [json.loads(line) for line in (tmp_path / "gunicorn.out").read_text().splitlines()
             if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert access and "request_id=req-gunicorn-1" in access[-1]["message"] and '"GET /healthz' in access[-1]["message"]

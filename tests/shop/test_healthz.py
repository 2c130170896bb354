"""/healthz tells a load balancer (and a person) whether the shop can serve."""
from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_redis_unless_asked(settings):
    settings.REDIS_URL = ""


def test_healthz_ok_with_inline_tasks(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "inline", "cache": "local"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_broker_down_but_stays_up(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "down", "cache": "local"}


def test_healthz_reports_the_cache_down_but_stays_up(client, settings):
    """The cache turns a dead Redis into misses (pages still answer), so /healthz asks Redis itself."""
    settings.CELERY_BROKER_URL = ""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "inline", "cache": "down"}


def test_healthz_503_when_database_is_down(client, settings):
    settings.CELERY_BROKER_URL = ""
    broken = mock.Mock()
    broken.ensure_connection.side_effect = OperationalError("server closed the connection")
    broken.cursor.side_effect = OperationalError("server closed the connection")
    with mock.patch("shop.health.connection", broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down", "broker": "inline", "cache": "local"}


@pytest.mark.redis
def test_healthz_broker_ok_on_real_redis(client, settings, redis_url):
    settings.CELERY_BROKER_URL = settings.REDIS_URL = redis_url
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


@pytest.mark.redis
def test_healthz_reuses_its_redis_connections(client, settings, redis_url):
    """A probe every few seconds must not open new TCP connections each time: one pooled client per
    URL and process answers both the broker and the cache check."""
    import redis

    settings.CELERY_BROKER_URL = settings.REDIS_URL = redis_url
    opened = []
    real_connect = redis.connection.AbstractConnection.connect

    def counting_connect(self, *args, **kwargs):
        if self._sock is None:
            opened.append(self)
        return real_connect(self, *args, **kwargs)

    client.get("/healthz")  # warms the pool
    with mock.patch.object(redis.connection.AbstractConnection, "connect", counting_connect):
        for _ in range(5):
            assert client.get("/healthz").json()["cache"] == "ok"
    assert opened == []


def test_a_probe_asks_the_database_once(client, settings):
    """Django already pings a kept connection before a request's first query (CONN_HEALTH_CHECKS on
    PostgreSQL): the probe's own SELECT 1 came on top, two round trips a probe. Counted here as a
    worker sees it: the connection kept from an earlier request, the ping not yet done."""
    from django.db import connection

    settings.CELERY_BROKER_URL = ""
    client.get("/healthz")
    executed, pings = [], []
    real_is_usable = connection.is_usable

    def is_usable():
        pings.append(1)
        return real_is_usable()

    connection.health_check_done = False  # what a new request does (close_old_connections)
    with mock.patch.object(connection, "is_usable", is_usable), \
            connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        assert client.get("/healthz").json()["database"] == "ok"
    assert len(executed) + len(pings) == 1, (executed, pings)


def test_livez_answers_without_asking_any_service(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.redis
def test_one_ping_answers_for_the_broker_and_the_cache_on_one_redis(client, settings, redis_url):
    import redis

    settings.CELERY_BROKER_URL = settings.REDIS_URL = redis_url
    client.get("/healthz")
    sent = []
    real_send = redis.connection.AbstractConnection.send_command

    def counting_send(self, *args, **kwargs):
        sent.append(args[0])
        return real_send(self, *args, **kwargs)

    with mock.patch.object(redis.connection.AbstractConnection, "send_command", counting_send):
        assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}
        assert client.get("/livez").status_code == 200
    assert sent == ["PING"]

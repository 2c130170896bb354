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

"""The shop keeps selling while Redis (the cache and the sessions' cache) is down, and serves nothing
stale when it comes back. A Redis server of the test's own is stopped and started again
(tests/own_redis.py), with an append-only file, as in docker-compose.yml: it comes back holding
the catalogue version and the pages it had cached before the outage."""
from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from catalog_ext.cache import VERSION_KEY
from catalog_ext.models import Certificate, LostVersionBump
from core.redis_cache import Breaker
from shop.payment import methods
from tests.catalog_ext.storefront.helpers import product, product_part
from tests.checkout.payment_methods.checkout import checkout, fill_basket
from tests.conftest import _service_missing
from tests.own_redis import OwnRedis, redis_server_available

Order = get_model("order", "Order")
pytestmark = [pytest.mark.redis, pytest.mark.django_db]
RETRY_SECONDS = 0.2  # the breaker's pause after a failure (production: REDIS_RETRY_SECONDS, 5 s)
STARS = re.compile(r'data-ocop-stars="(\d)"')


@pytest.fixture
def own_redis(settings, tmp_path):
    if not redis_server_available():
        _service_missing("redis-server", "needs the redis-server binary to run a Redis it may stop")
    server = OwnRedis(tmp_path, persistent=True)
    server.start()
    # What shop/settings.py configures when REDIS_URL is set.
    settings.CACHES = {"default": {
        "BACKEND": "core.redis_cache.FailFastRedisCache", "LOCATION": server.url,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True}}}
    settings.REDIS_URL = server.url
    settings.SESSION_ENGINE = "core.sessions"
    settings.REDIS_RETRY_SECONDS = RETRY_SECONDS
    settings.OCOP_PAGE_CACHE = True
    settings.CELERY_BROKER_URL = ""  # the broker's own outage: tests/notifications, tests/shop/test_faults.py
    yield server
    server.stop()
    Breaker.for_location(server.url).reset()


def back_up(server):
    server.start()
    time.sleep(RETRY_SECONDS * 1.5)  # the breaker's pause runs out: the next call tries Redis again


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_pages_basket_checkout_and_a_signed_in_session_work_while_redis_is_down(own_redis, django_user_model):
    coffee = product("CF-001")
    pages = ["/", "/catalogue/", coffee.get_absolute_url(), "/search/?q=ca+phe"]
    shopper = Client()
    shopper.force_login(django_user_model.objects.get(email="khach@ocop.demo"))
    fill_basket(shopper, (("CF-001", 1),))
    for url in pages:
        get(Client(), url)
    assert cache.get(VERSION_KEY) is not None  # Redis was in use

    own_redis.stop()
    for url in pages:
        get(Client(), url)  # anonymous: served, rendered afresh
    basket = get(shopper, reverse("basket:summary"))
    assert coffee.title in basket
    assert "khach@ocop.demo" in get(shopper, reverse("customer:profile-view"))  # still signed in
    guest = Client()
    response, order = checkout(guest, methods.COD)
    assert response.status_code == 302 and response["Location"].endswith(reverse("checkout:thank-you"))
    assert order is not None and order.lines.count() == 2
    assert order.number in get(guest, reverse("checkout:thank-you"))

    back_up(own_redis)
    assert "khach@ocop.demo" in get(shopper, reverse("customer:profile-view"))
    assert coffee.title in get(shopper, reverse("basket:summary"))


def test_a_price_and_a_badge_changed_while_redis_was_down_are_not_served_stale_after(own_redis):
    coffee = product("CF-001")
    url = coffee.get_absolute_url()
    get(Client(), url)
    before = get(Client(), url)  # cached in Redis under the version of that moment
    assert "185.000" in product_part(before) and STARS.search(product_part(before))
    version = cache.get(VERSION_KEY)

    own_redis.stop()  # writes the append-only file: the version and the cached page survive
    record = coffee.stockrecords.get()
    record.price = 205000
    record.save()
    Certificate.objects.valid().get(product=coffee).revoke(reason="Hết hiệu lực (kiểm thử)")
    assert LostVersionBump.objects.exists()  # the bumps Redis could not take went to the database
    during = product_part(get(Client(), url))
    assert "205.000" in during and not STARS.search(during)

    back_up(own_redis)
    assert cache.get(VERSION_KEY) == version  # Redis came back holding the version of before
    after = product_part(get(Client(), url))
    assert "205.000" in after and "185.000" not in after
    assert not STARS.search(after)
    assert "205.000" in product_part(get(Client(), url))  # and the page cached since is the new one


def test_a_dead_redis_is_asked_once_per_pause_not_once_per_cache_call(own_redis, caplog, settings):
    """A listing page makes dozens of cache calls; with Redis down only the first reaches the network."""
    settings.REDIS_RETRY_SECONDS = 60  # longer than the page takes on a busy machine
    get(Client(), "/catalogue/")
    own_redis.stop()
    from redis.connection import AbstractConnection

    calls = []
    real_connect = AbstractConnection.connect

    def connect(connection):  # Redis is down: every call that reaches the network starts here
        calls.append(connection.port)
        return real_connect(connection)

    with mock.patch.object(AbstractConnection, "connect", connect), \
            caplog.at_level("WARNING", logger="shop.cache"):
        get(Client(), "/catalogue/")
    # At most the pooled connection's reconnect (redis-py retries a connection it finds closed once),
    # of the about 175 cache calls this page makes.
    assert 1 <= len(calls) <= 2
    warnings = [r for r in caplog.records if r.name == "shop.cache" and r.levelname == "WARNING"]
    tracebacks = [r for r in caplog.records if r.name == "shop.cache" and r.levelname == "ERROR"]
    assert len(warnings) == 1 and "Redis unreachable" in warnings[0].getMessage()
    assert len(tracebacks) == 1

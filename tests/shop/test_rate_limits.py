"""Search, autocomplete and the Stripe webhook answer 429 with Retry-After past their limit (per
client address, from settings), and not before. Search counts cached pages too."""
import itertools

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db
_addresses = (f"192.0.2.{n}" for n in itertools.count(1))


@pytest.fixture
def address():
    """A fresh address per test: the counters live in the cache, which outlives a test."""
    return next(_addresses)


ENDPOINTS = {
    "search": ("RATELIMIT_SEARCH", "get", "/search/?q=mat+ong", "text/html"),
    "suggest": ("RATELIMIT_SUGGEST", "get", "/search/suggest/?q=ca", "application/json"),
    "webhook": ("RATELIMIT_WEBHOOK", "post", "/checkout/stripe/webhook/", "application/json"),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_the_limit_is_reached_then_429_with_retry_after(settings, address, name):
    setting, method, url, content_type = ENDPOINTS[name]
    setattr(settings, setting, "3/m")
    client = Client(REMOTE_ADDR=address)
    send = getattr(client, method)
    for _ in range(3):
        assert send(url).status_code != 429
    response = send(url)
    assert response.status_code == 429
    assert response["Content-Type"].startswith(content_type)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "no-store" in response["Cache-Control"]
    if content_type == "application/json":
        assert response.json()["error"] == "Quá nhiều yêu cầu. Vui lòng đợi một lát rồi thử lại."
    else:
        assert "Quá nhiều yêu cầu" in response.content.decode()
    # another address is not limited
    assert getattr(Client(REMOTE_ADDR=next(_addresses)), method)(url).status_code != 429


def test_search_pages_served_from_the_page_cache_still_count(settings, address):
    settings.OCOP_PAGE_CACHE = True
    settings.RATELIMIT_SEARCH = "2/m"
    client = Client(REMOTE_ADDR=address)
    assert [client.get("/search/?q=che").status_code for _ in range(3)] == [200, 200, 429]


def test_the_limit_is_per_address_behind_trusted_proxies(settings, address):
    settings.TRUSTED_PROXIES = 1
    settings.RATELIMIT_SUGGEST = "1/m"
    proxy = Client(REMOTE_ADDR="10.0.0.3")
    assert proxy.get("/search/suggest/?q=ca", HTTP_X_FORWARDED_FOR=address).status_code == 200
    assert proxy.get("/search/suggest/?q=ca", HTTP_X_FORWARDED_FOR=address).status_code == 429
    assert proxy.get("/search/suggest/?q=ca", HTTP_X_FORWARDED_FOR=next(_addresses)).status_code == 200


def test_an_unreachable_cache_lets_requests_through(settings, address, monkeypatch):
    settings.RATELIMIT_SUGGEST = "1/m"

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", down)
    client = Client(REMOTE_ADDR=address)
    assert [client.get("/search/suggest/?q=ca").status_code for _ in range(3)] == [200, 200, 200]

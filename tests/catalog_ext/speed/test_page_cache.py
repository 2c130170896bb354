"""Whole catalogue pages are cached for anonymous visitors, and the next request always sees every
change: price, stock, certificates, licences, visibility, new products, the date. Nobody with a
session or a basket ever gets another visitor's page, and each visitor's CSRF token works."""
import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.badges import badges_for
from catalog_ext.cache import VERSION_KEY, cache_is_shared, catalogue_changed
from catalog_ext.models import GILicence
from listing import page_cache
from tests.catalog_ext.speed.pages import card, listing
from tests.catalog_ext.storefront.helpers import product
from tests.catalog_ext.storefront.test_orders import place_order
from tests.page_parts import comparable

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db

LISTING = "/catalogue/"
STARS = re.compile(r'data-ocop-stars="(\d)"')


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def warm(url) -> str:
    """Fetch a page twice as an anonymous visitor: the second answer comes from the cache."""
    page(Client(), url)
    return page(Client(), url)


def search_url(item):
    return "/search/?q=" + item.title.split()[0] + "+" + item.title.split()[1]


def test_a_second_anonymous_visit_is_served_from_the_cache(django_assert_num_queries):
    coffee = product("CF-001")
    # With Redis, one O(1) query reads the highest bump Redis lost (catalog_ext.cache); with the
    # local-memory cache, one O(1) query asks SQLite whether anything was written since the
    # fingerprint was last taken.
    queries = 1
    for url in (LISTING, "/catalogue/?page=2", search_url(coffee), coffee.categories.first().get_absolute_url()):
        first = page(Client(), url)
        page(Client(), url)  # a first render may write (thumbnails' key-value store): settle
        with django_assert_num_queries(queries):  # nothing is rendered
            again = page(Client(), url)
        assert _without_tokens(again) == _without_tokens(first)


@pytest.fixture
def local_memory_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_with_a_per_process_cache_another_workers_write_is_seen(local_memory_cache, django_assert_num_queries):
    """SQLite's data_version moves when another connection commits: the fingerprint is taken again."""
    from django.db import connection

    from catalog_ext.cache import catalogue_fingerprint

    before = catalogue_fingerprint()
    with django_assert_num_queries(1):
        assert catalogue_fingerprint() == before  # nothing written: the memo answers
    if connection.vendor == "sqlite":
        memo = connection._ocop_fingerprint
        changes, version = memo.counters
        memo.counters = (changes, version - 1)  # as if another worker committed
        with django_assert_num_queries(2):
            assert catalogue_fingerprint() == before  # asked again, and the data did not change


class _RolledBack(Exception):
    pass


def test_a_fingerprint_taken_after_writes_that_were_rolled_back_is_not_kept(local_memory_cache):
    """SQLite's counters do not move back on a rollback: a memo taken after a transaction's writes
    would answer for rows that never were, and pages rendered in that transaction (its prices) would
    be served under it. Found by the suite's order: this file after tests/catalog_ext/find/test_search_cap.py."""
    from django.db import transaction
    from django.db.models import F

    from catalog_ext.cache import catalogue_fingerprint

    # On PostgreSQL every call scans (no memo): the same answers are required there.
    before = catalogue_fingerprint()
    record = get_model("partner", "StockRecord").objects.order_by("pk").first()
    with pytest.raises(_RolledBack), transaction.atomic():
        get_model("partner", "StockRecord").objects.filter(pk=record.pk).update(price=F("price") + 1000)
        assert catalogue_fingerprint() != before  # the price this transaction wrote
        raise _RolledBack
    assert catalogue_fingerprint() == before  # rolled back: the database is as it was


def test_with_redis_the_shared_version_and_the_lost_bumps_key_the_page(settings, django_assert_num_queries):
    from catalog_ext.cache import catalogue_fingerprint
    from catalog_ext.models import LostVersionBump

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    assert cache_is_shared()
    with django_assert_num_queries(1):  # no table scan: the highest lost bump, by primary key
        before = catalogue_fingerprint()
    lost = LostVersionBump.objects.create()
    assert catalogue_fingerprint() == (lost.pk,) != before


_without_tokens = comparable


def _token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def test_a_cached_product_page_still_records_the_view(django_assert_max_num_queries):
    coffee = product("CF-001")
    warm(coffee.get_absolute_url())
    with django_assert_max_num_queries(3):  # fingerprint + Oscar's view counter
        response = Client().get(coffee.get_absolute_url())
    assert response.status_code == 200
    assert str(coffee.pk) in response.cookies["oscar_history"].value  # recently viewed, as Oscar does


def test_pages_are_private_and_vary_on_cookie():
    html = warm(LISTING)
    response = Client().get(LISTING)
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]
    assert "ocop-csrf-" not in html and "csrftoken" in response.cookies


def test_price_saved_shows_on_the_next_request():
    coffee = product("CF-001")
    url = listing(coffee)
    assert "185.000" in card(warm(url), coffee)
    record = coffee.stockrecords.get()
    record.price = 199000
    record.save()
    assert "199.000" in card(page(Client(), url), coffee)
    assert "199.000" in page(Client(), coffee.get_absolute_url())


def test_price_updated_in_bulk_shows_with_catalogue_changed_alone(monkeypatch, django_capture_on_commit_callbacks):
    # given a fingerprint that cannot see the change (as if another table changed), only the version can
    monkeypatch.setattr(page_cache, "catalogue_fingerprint", lambda: ())
    coffee = product("CF-001")
    url = listing(coffee)
    assert "185.000" in card(warm(url), coffee)
    with django_capture_on_commit_callbacks(execute=True):
        StockRecord.objects.filter(product=coffee).update(price=201000)
        catalogue_changed()
    assert "201.000" in card(page(Client(), url), coffee)


def test_an_evicted_version_never_brings_back_an_old_page(monkeypatch):
    # given a change only the version sees (the producer's name is not in the fingerprint)
    monkeypatch.setattr(page_cache, "catalogue_fingerprint", lambda: ())
    coffee = product("CF-001")
    cache.delete(VERSION_KEY)  # the page below is cached under a freshly started version
    assert coffee.producer.name in warm(coffee.get_absolute_url())
    coffee.producer.name = "HTX Cà phê Chiềng Ban đổi tên"
    coffee.producer.save()
    cache.delete(VERSION_KEY)  # the cache culled or evicted the version
    assert "HTX Cà phê Chiềng Ban đổi tên" in page(Client(), coffee.get_absolute_url())


def test_price_updated_in_bulk_shows_even_without_catalogue_changed(local_memory_cache):
    # with a per-process cache the database fingerprint covers a write that forgot to say so
    coffee = product("CF-001")
    warm(coffee.get_absolute_url())
    StockRecord.objects.filter(product=coffee).update(price=202000)
    assert "202.000" in page(Client(), coffee.get_absolute_url())


def test_sold_out_by_an_order_shows_at_once():
    coffee = product("CF-001")
    url = listing(coffee)
    record = coffee.stockrecords.get()
    assert 'name="quantity"' in card(warm(url), coffee)
    place_order(lines=(("CF-001", record.net_stock_level),))  # Oscar allocates with an UPDATE
    assert 'name="quantity"' not in card(page(Client(), url), coffee)


def test_revoked_certificate_drops_the_badge_at_once():
    coffee = product("CF-001")
    url = listing(coffee)
    assert STARS.search(card(warm(url), coffee))
    assert STARS.search(warm(coffee.get_absolute_url()))
    coffee.ocop_certificates.valid().get().revoke(reason="kiểm thử")
    assert badges_for(coffee).stars is None
    assert not STARS.search(card(page(Client(), url), coffee))
    assert not STARS.search(_main(page(Client(), coffee.get_absolute_url())))


def _main(html):
    """The product page without its "recently viewed" and footer parts."""
    return html.split('class="product_main"')[-1].split("</article>")[0]


def test_certificate_expiring_tonight_drops_the_badge_at_midnight(monkeypatch):
    tea = product("TE-003")
    url = listing(tea)
    certificate = tea.ocop_certificates.valid().get()
    last_day = certificate.expires_on
    monkeypatch.setattr(rules, "today", lambda: last_day)
    assert badges_for(tea, last_day).stars == certificate.stars
    assert f'data-ocop-stars="{certificate.stars}"' in _main(warm(tea.get_absolute_url()))
    assert STARS.search(card(warm(url), tea))

    monkeypatch.setattr(rules, "today", lambda: last_day + dt.timedelta(days=1))

    after = badges_for(tea, last_day + dt.timedelta(days=1)).stars
    assert after != certificate.stars
    assert f'data-ocop-stars="{certificate.stars}"' not in _main(page(Client(), tea.get_absolute_url()))
    assert f'data-ocop-stars="{certificate.stars}"' not in card(page(Client(), url), tea)


def test_revoked_gi_licence_drops_the_gi_tag_at_once():
    item = next(p for p in Product.objects.filter(gi__isnull=False, is_public=True) if badges_for(p).gi_slug)
    tag = f'data-gi="{item.gi.slug}"'
    assert tag in _main(warm(item.get_absolute_url()))
    licence = GILicence.objects.valid().get(gi=item.gi, producer=item.producer)
    licence.revoked_on = rules.today()
    licence.save()
    assert tag not in _main(page(Client(), item.get_absolute_url()))


def test_hidden_product_disappears_at_once():
    coffee = product("CF-001")
    url = listing(coffee)
    assert card(warm(url), coffee)
    warm(coffee.get_absolute_url())
    coffee.is_public = False
    coffee.save()
    assert not card(page(Client(), url), coffee)
    assert Client().get(coffee.get_absolute_url()).status_code == 404


def test_hidden_by_a_bare_update_disappears_at_once_with_a_per_process_cache(local_memory_cache):
    coffee = product("CF-001")
    url = listing(coffee)
    assert card(warm(url), coffee)
    Product.objects.filter(pk=coffee.pk).update(is_public=False)  # without a save(): the fingerprint sees it
    assert not card(page(Client(), url), coffee)


def test_new_product_appears_at_once():
    coffee = product("CF-001")
    warm(LISTING)
    new = Product.objects.create(title="Mận hậu Mộc Châu sấy dẻo", product_class=coffee.product_class,
                                 producer=coffee.producer, is_public=True)
    new.categories.add(coffee.categories.first())
    StockRecord.objects.create(product=new, partner=coffee.producer, partner_sku="NEW-1", price=99000,
                               num_in_stock=5)
    assert card(page(Client(), LISTING), new)


def test_signed_in_shopper_never_gets_an_anonymous_cached_page():
    anonymous = warm(LISTING)
    assert 'id="logout_link"' not in anonymous
    shopper = Client()
    shopper.login(username="khach@ocop.demo", password="ocop-customer-2026") or shopper.force_login(
        get_model("auth", "User").objects.get(email="khach@ocop.demo"))
    assert 'id="logout_link"' in page(shopper, LISTING)
    # and what they were shown is not served to the next anonymous visitor
    assert 'id="logout_link"' not in page(Client(), LISTING)


def _cart_button(html):
    return html.split("btn-cart")[1].split("</a>")[0]


def test_visitor_with_a_basket_sees_their_own_total():
    coffee = product("CF-001")
    anonymous = warm(LISTING)
    visitor = Client()
    visitor.post(f"/basket/add/{coffee.pk}/", {"quantity": 2})
    assert "370.000" not in _cart_button(anonymous)
    assert "370.000" in _cart_button(page(visitor, LISTING))
    assert "370.000" not in _cart_button(page(Client(), LISTING))


def test_each_visitor_can_add_to_basket_from_a_cached_page():
    coffee = product("CF-001")
    warm(coffee.get_absolute_url())
    tokens = []
    for _ in range(2):
        shopper = Client(enforce_csrf_checks=True)
        html = page(shopper, coffee.get_absolute_url())  # a cache hit
        token = _token(html)
        tokens.append(token)
        response = shopper.post(f"/basket/add/{coffee.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token})
        assert response.status_code == 302  # 403 would mean someone else's token
    assert tokens[0] != tokens[1] and "ocop-csrf-" not in "".join(tokens)

"""A basket holder's and a signed-in customer's parts of a cached page are kept between their hits
(listing.page_parts), so a hit asks the database nothing about them (issue 21); and every change
to what those parts show is on the very next hit: lines added, changed or removed, a price, an
offer (saved, or starting by the clock), a basket merged or submitted, a notification, a wish
list, a permission. Messages are still shown once, to their visitor only."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from catalog_ext import rules
from catalog_ext.cache import VERSION_KEY
from listing import page_parts, visitor_versions
from tests.catalog_ext.storefront.helpers import product

from .pages import _page, _tools

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")
LISTING = "/catalogue/"
FILTERED = "/catalogue/?stars=3&sort=price_asc"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings, monkeypatch):
    settings.OCOP_PAGE_CACHE = True
    cache.delete(VERSION_KEY)
    # Product views are counted in memory and written every 30 s or 200 views (shop/view_counts.py):
    # not during a counted hit.
    from shop import view_counts
    monkeypatch.setattr(view_counts, "FLUSH_SECONDS", 10**9)
    monkeypatch.setattr(view_counts, "FLUSH_VIEWS", 10**9)
    # Drawings are kept only in a cache every process shares (Redis); the suite runs in one
    # process, so its local-memory cache is as shared as Redis would be.
    monkeypatch.setattr(page_parts, "cache_is_shared", lambda: True)


def _messages(html) -> str:
    return html.split('<div id="messages">')[1].split("\n</div>")[0]


def _money(amount) -> str:
    with translation.override("vi"):
        return currency(Decimal(amount), "VND")


def _price(item) -> Decimal:
    return StockRecord.objects.get(product=item).price


def _basket_holder(item, quantity=1) -> Client:
    visitor = Client()
    assert visitor.post(f"/basket/add/{item.pk}/", {"quantity": quantity}).status_code == 302
    _page(visitor, "/basket/")  # the "added" message, read once
    return visitor


def _customer(email="anna@example.vn") -> tuple[Client, object]:
    user = get_user_model().objects.create_user(email.split("@")[0], email, "pw-123456-x")
    client = Client()
    client.force_login(user)
    return client, user


def _session_queries() -> int:
    """Reading the session: from the cache with Redis (core.sessions), from the database without."""
    return 0 if settings.SESSION_ENGINE == "core.sessions" else 1


def _anonymous_hit_queries(url) -> int:
    _page(Client(), url)
    _page(Client(), url)
    with CaptureQueriesContext(connection) as hit:
        _page(Client(), url)
    return len(hit)


def test_a_basket_holders_hit_asks_the_database_no_more_than_an_anonymous_visitors(django_assert_num_queries):
    coffee = product("CF-001")
    visitor = _basket_holder(coffee, 2)
    for url in (LISTING, FILTERED, coffee.get_absolute_url()):
        anonymous = _anonymous_hit_queries(url)
        assert anonymous == 1  # the catalogue's state (catalog_ext.cache): every hit asks it
        _page(visitor, url)  # their parts drawn, and kept
        with django_assert_num_queries(anonymous):  # no session, basket, line, offer or product read
            html = _page(visitor, url)
        assert _money(2 * _price(coffee)) in _tools(html) and 'id="login_link"' in _tools(html)


def _kept(visitor, url=LISTING) -> None:
    """The page stored (if it was not), then a hit: the visitor's parts drawn and kept."""
    _page(visitor, url)
    _page(visitor, url)


def _headers(visitor, url=LISTING) -> list[str]:
    """The header on the visitor's next two requests: the first renders the page when a catalogue
    change gave it a new key, the second is a hit, which may use their kept parts."""
    return [_tools(_page(visitor, url)) for _ in range(2)]


def test_each_basket_change_shows_in_the_header_on_the_next_hit():
    coffee, honey = product("CF-001"), product("MT-001")
    visitor = _basket_holder(coffee)
    _kept(visitor)

    visitor.post(f"/basket/add/{honey.pk}/", {"quantity": 1})
    _page(visitor, "/basket/")
    assert all(_money(_price(coffee) + _price(honey)) in header for header in _headers(visitor))

    basket = Basket.objects.get(pk=visitor.cookies[settings.OSCAR_BASKET_COOKIE_OPEN].value.split(":")[0])
    line = basket.lines.get(product=coffee)
    line.quantity = 3
    line.save()  # as the basket page's form saves it
    assert all(_money(3 * _price(coffee) + _price(honey)) in header for header in _headers(visitor))

    line.delete()
    assert all(_money(_price(honey)) in header for header in _headers(visitor))

    basket.lines.all().delete()
    assert all("data-basket-count" not in header for header in _headers(visitor))


def test_a_price_change_shows_in_the_basket_holders_header_at_once():
    coffee = product("CF-001")
    visitor = _basket_holder(coffee, 2)
    _kept(visitor)
    record = StockRecord.objects.get(product=coffee)
    record.price = Decimal("200000")
    record.save()
    assert all(_money(400000) in header for header in _headers(visitor))


def _site_offer(**dates):
    Range, Condition, Benefit = (get_model("offer", name) for name in ("Range", "Condition", "Benefit"))
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    everything = Range.objects.create(name="Mọi sản phẩm", includes_all_products=True)
    return ConditionalOffer.objects.create(
        name="Giảm 10%", offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=10), **dates)


def test_an_offer_shows_in_the_basket_total_when_saved_and_when_its_time_comes(monkeypatch):
    coffee = product("CF-001")
    visitor = _basket_holder(coffee, 2)
    full = 2 * _price(coffee)
    _kept(visitor)
    offer = _site_offer()
    assert all(_money(full * Decimal("0.9")) in header for header in _headers(visitor))

    offer.start_datetime = timezone.now() + dt.timedelta(days=1)
    offer.save()
    assert all(_money(full) in header for header in _headers(visitor))  # kept, drawn before it starts

    today = rules.today()
    monkeypatch.setattr(rules, "today", lambda: today)  # the same day for the catalogue: only the offer moves
    later = timezone.now() + dt.timedelta(days=2)  # no write: the offer simply starts
    import oscar.apps.offer.abstract_models
    import oscar.apps.offer.managers
    for module in (oscar.apps.offer.managers, oscar.apps.offer.abstract_models):
        monkeypatch.setattr(module, "now", lambda: later)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert all(_money(full * Decimal("0.9")) in header for header in _headers(visitor))


def test_a_submitted_basket_leaves_the_header_empty():
    coffee = product("CF-001")
    visitor = _basket_holder(coffee)
    _kept(visitor)
    basket = Basket.objects.get(pk=visitor.cookies[settings.OSCAR_BASKET_COOKIE_OPEN].value.split(":")[0])
    basket.submit()  # as placing the order does
    assert all("data-basket-count" not in header for header in _headers(visitor))


def test_a_message_shows_once_to_its_basket_holder_only():
    coffee = product("CF-001")
    _page(Client(), LISTING)
    visitor = Client()
    visitor.post(f"/basket/add/{coffee.pk}/", {"quantity": 1})
    other = _basket_holder(coffee)
    _page(other, LISTING)
    assert coffee.title in _messages(_page(visitor, LISTING))
    assert coffee.title not in _messages(_page(visitor, LISTING))
    assert coffee.title not in _messages(_page(other, LISTING)) + _messages(_page(Client(), LISTING))


def test_signing_in_merges_the_basket_into_the_customers_header_with_its_message_once():
    coffee = product("CF-001")
    visitor = _basket_holder(coffee, 2)
    _kept(visitor)
    user = get_user_model().objects.create_user("binh", "binh@example.vn", "pw-123456-x")
    visitor.force_login(user)  # the basket cookie is still sent: Oscar merges it on this request
    html = _page(visitor, LISTING)
    assert 'id="logout_link"' in _tools(html) and _money(2 * _price(coffee)) in _tools(html)
    assert _messages(html).count('class="alert ') == 1  # "we have merged 2 items …"
    html = _page(visitor, LISTING)
    assert _money(2 * _price(coffee)) in _tools(html) and 'class="alert ' not in _messages(html)


def test_a_customers_hit_reads_their_account_and_the_catalogue_state_only(django_assert_num_queries):
    coffee = product("CF-001")
    anna, _user = _customer()
    anna.post(f"/basket/add/{coffee.pk}/", {"quantity": 2})
    _page(anna, "/basket/")
    for url in (LISTING, FILTERED, coffee.get_absolute_url()):
        anonymous = _anonymous_hit_queries(url)
        _page(anna, url)
        _page(anna, url)
        # + the user row, which Django checks the session against (a customer's view of the
        # product page is written with the other views, shop/view_counts.py)
        extra = 1 + _session_queries()
        with django_assert_num_queries(anonymous + extra):
            html = _page(anna, url)
        assert 'id="logout_link"' in _tools(html) and _money(2 * _price(coffee)) in _tools(html)


def test_a_customers_notifications_and_dashboard_link_show_on_the_next_hit():
    anna, user = _customer()
    _kept(anna)
    get_model("communication", "Notification").objects.create(recipient=user, subject="Đơn hàng đã giao")
    assert '<span class="count">1</span>' in _tools(_page(anna, LISTING))

    dashboard = Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    producers = Group.objects.create(name="Nhà sản xuất")
    user.groups.add(producers)
    assert "/dashboard/" not in _tools(_page(anna, LISTING))
    producers.permissions.add(dashboard)  # the group's, not the user's own: every member's link
    assert "/dashboard/" in _tools(_page(anna, LISTING))
    user.groups.remove(producers)
    assert "/dashboard/" not in _tools(_page(anna, LISTING))


def test_customers_share_the_product_page_with_their_own_wish_lists():
    coffee = product("CF-001")
    WishList = get_model("wishlists", "WishList")
    _page(Client(), coffee.get_absolute_url())  # stored by an anonymous visitor
    anna, anna_user = _customer()
    binh, _ = _customer("binh@example.vn")
    WishList.objects.create(owner=anna_user, name="Quà Tết của Anna")
    for _visit in range(2):  # drawn, then kept
        assert "Quà Tết của Anna" in _page(anna, coffee.get_absolute_url())
        assert "Quà Tết của Anna" not in _page(binh, coffee.get_absolute_url())
        assert "Quà Tết của Anna" not in _page(Client(), coffee.get_absolute_url())
    WishList.objects.create(owner=anna_user, name="Cho mẹ")
    assert "Cho mẹ" in _page(anna, coffee.get_absolute_url())


def test_a_kept_wish_list_form_carries_each_requests_own_working_token():
    coffee = product("CF-001")
    anna, _user = _customer()
    _page(anna, coffee.get_absolute_url())
    _page(anna, coffee.get_absolute_url())  # the wish-list button (a form, no list yet) is kept
    anna.handler.enforce_csrf_checks = True
    html = _page(anna, coffee.get_absolute_url())
    form = html.split('id="add_to_wishlist_form"')[1]
    token = TOKEN.search(form).group(1)
    assert "ocop-csrf-" not in html
    url = reverse("customer:wishlists-add-product", kwargs={"product_pk": coffee.pk})
    assert anna.post(url, {"csrfmiddlewaretoken": "x" * 64}).status_code == 403  # tokens are checked here
    response = anna.post(reverse("customer:wishlists-add-product", kwargs={"product_pk": coffee.pk}),
                         {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # 403 would mean a token that is not this visitor's
    assert get_model("wishlists", "WishList").objects.get(owner__email="anna@example.vn").lines.count() == 1


def test_a_sold_out_product_page_gives_a_customer_their_own_stock_alert():
    coffee = product("CF-001")
    StockRecord.objects.filter(product=coffee).update(num_in_stock=0, num_allocated=0)
    from catalog_ext.cache import catalogue_changed
    catalogue_changed()
    anna, user = _customer()
    get_model("customer", "ProductAlert").objects.create(user=user, product=coffee)
    _page(Client(), coffee.get_absolute_url())  # stored by an anonymous visitor: their alert form
    with translation.override("vi"):
        has_alert = gettext("You have an active stock alert for this product.")
    for _visit in range(2):
        assert has_alert in _page(anna, coffee.get_absolute_url())
        anonymous = _page(_basket_holder(product("MT-001")), coffee.get_absolute_url())
        assert has_alert not in anonymous and 'id="alert_form"' in anonymous and 'name="email"' in anonymous


def test_while_versions_cannot_be_read_parts_are_drawn_and_nothing_is_kept(monkeypatch):
    coffee = product("CF-001")
    visitor = _basket_holder(coffee)
    _page(visitor, LISTING)
    monkeypatch.setattr(visitor_versions, "read", lambda names, found=None: None)
    stored = []
    monkeypatch.setattr(page_parts.cache, "set_many", lambda entries, timeout: stored.append(entries))
    html = _page(visitor, LISTING)
    assert _money(_price(coffee)) in _tools(html) and stored == []


def test_with_a_per_process_cache_a_basket_holders_header_is_drawn_on_every_hit(monkeypatch):
    """Another worker's basket change bumps that worker's local version only: nothing is kept."""
    monkeypatch.setattr(page_parts, "cache_is_shared", lambda: False)
    coffee = product("CF-001")
    visitor = _basket_holder(coffee)
    _kept(visitor)  # (were the cache shared)
    basket = Basket.objects.get(pk=visitor.cookies[settings.OSCAR_BASKET_COOKIE_OPEN].value.split(":")[0])
    basket.lines.filter(product=coffee).update(quantity=3)  # as another worker: no bump seen here
    assert _money(3 * _price(coffee)) in _tools(_page(visitor, LISTING))

"""The home page: highlights by today's badge, ways into the catalogue, what is in season this
month, producer stories and the showrooms; a fixed number of queries whatever the catalogue size."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.models import Certificate, GeographicalIndication
from showrooms.models import Showroom
from tests.catalog_ext.storefront.helpers import body, product

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def section(page: str, name: str) -> str:
    part = page.split(f'data-section="{name}"', 1)
    assert len(part) == 2, f"no {name} section"
    return part[1].split("</section>")[0]


def test_five_and_four_star_highlights_follow_todays_badges(client):
    page = body(client.get("/"))
    five, four = section(page, "five-star"), section(page, "four-star")
    assert product("CF-001").title in five and 'data-ocop-stars="5"' in five
    assert 'data-ocop-stars="4"' not in five and 'data-ocop-stars="3"' not in five
    assert 'data-ocop-stars="4"' in four and 'data-ocop-stars="5"' not in four


def test_ways_in_by_group_gi_and_producer(client):
    page = body(client.get("/"))
    groups = section(page, "groups")
    assert 'href="/catalogue/?group=food"' in groups and "Thực phẩm" in groups
    gis = section(page, "gi")
    for gi in GeographicalIndication.objects.all():
        assert f'href="/catalogue/?gi={gi.slug}"' in gis and gi.name in gis
    assert {"Cà phê Sơn La", "Chè Shan tuyết Mộc Châu", "Xoài tròn Yên Châu", "Cam Phù Yên"} <= set(
        GeographicalIndication.objects.values_list("name", flat=True))
    producers = section(page, "producers")
    coffee = product("CF-001")
    assert coffee.producer.name in producers and "Xã Chiềng Mai" in producers


def test_in_season_follows_the_month(client, monkeypatch):
    mango = product("FR-001")
    orange = product("FR-003")
    assert mango.season_months == "5,6,7" and orange.season_months == "1,11,12"

    monkeypatch.setattr(rules, "today", lambda: dt.date(2026, 6, 10))
    june = section(body(client.get("/")), "in-season")
    assert mango.title in june and orange.title not in june and "Tháng 6" in june

    monkeypatch.setattr(rules, "today", lambda: dt.date(2027, 1, 5))  # Phù Yên's winter crop wraps the year
    january = section(body(client.get("/")), "in-season")
    assert orange.title in january and mango.title not in january


def test_a_month_with_no_harvest_says_so(client, monkeypatch):
    Product.objects.update(season_months="")
    monkeypatch.setattr(rules, "today", lambda: dt.date(2026, 3, 1))
    in_season = section(body(client.get("/")), "in-season")
    assert "product_pod" not in in_season and "Tháng này chưa có trái cây vào mùa" in in_season


def test_stories_and_showrooms_with_address_and_hours(client):
    page = body(client.get("/"))
    stories = section(page, "stories")
    assert stories.count('class="story"') == 3
    assert re.search(r'<svg class="ocop-producer-logo"[^>]*role="img"', stories)  # initials for a producer without a logo
    showrooms = section(page, "showrooms")
    for showroom in Showroom.objects.active():
        assert showroom.name in showrooms and showroom.street in showrooms
        assert showroom.opening_hours.splitlines()[0] in showrooms


def test_home_queries_do_not_grow_with_the_catalogue(client, django_assert_num_queries):
    client.get("/")  # warm the per-process caches (site, content types)
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")

    coffee = product("CF-001")
    for n in range(6):  # more 5★ products, more in season, more for the same producer
        clone = Product.objects.create(title=f"Cà phê thử {n}", product_class=coffee.product_class,
                                       producer=coffee.producer, ocop_group="beverage", is_public=True,
                                       season_months=",".join(str(m) for m in range(1, 13)))
        StockRecord.objects.create(product=clone, partner=coffee.producer, partner_sku=f"T-{n}",
                                   price=Decimal(100000), num_in_stock=5)
        Certificate.objects.create(product=clone, stars=5, score=92, number=f"DEMO-T-{n}", level="central",
                                   issuer="Bộ Nông nghiệp và Môi trường", issued_on=rules.today())
    with django_assert_num_queries(HOME_QUERIES):
        page = body(client.get("/"))
    assert "Cà phê thử 5" in section(page, "five-star")


# Measured: three card lists (5★, 4★, in season), each one listing query plus Oscar's card
# prefetches; groups, GIs, producers and showrooms one query each; the session's basket.
HOME_QUERIES = 25

"""Shoppers find producers by commune and type, and see each producer's products and licences."""
import re

import pytest
from django.conf import settings

from core.places import ward_code

from .helpers import Partner, Product, body, product

pytestmark = pytest.mark.django_db

LISTED = re.compile(r'<li class="col-12 col-md-6 mb-3" data-producer="([^"]+)"')


def listed(client, query="") -> set[str]:
    return set(LISTED.findall(body(client.get(f"/producers/{query}"))))


def test_producer_list_shows_producers_not_other_partners(client):
    Partner.objects.create(name="Kho tổng", code="kho-tong")  # a partner with no producer kind

    codes = listed(client)

    assert "chieng-mai-coffee" in codes and "song-ma-longan" in codes
    assert "kho-tong" not in codes
    assert len(codes) == Partner.objects.exclude(kind="").count()


def test_filter_by_commune(client):
    codes = listed(client, f"?commune={ward_code('Xã Chiềng Mai')}")

    assert codes == {"chieng-mai-coffee"}


def test_filter_by_type(client):
    codes = listed(client, "?type=household")

    assert codes == {"song-ma-longan", "muong-la-orchid"}


def test_filters_combine_and_bad_values_are_ignored(client):
    assert listed(client, f"?type=cooperative&commune={ward_code('Xã Sông Mã')}") == set()
    assert listed(client, "?type=nonsense&commune=abc") == listed(client)
    assert listed(client, "?commune=99999999999999999999999999") == listed(client)
    assert "Không có nhà sản xuất nào" in body(client.get(f"/producers/?type=enterprise&commune={ward_code('Xã Tà Xùa')}"))


def test_filter_links_are_plain_get_links(client):
    page = body(client.get("/producers/"))

    assert 'href="?type=household"' in page
    assert f'href="?commune={ward_code("Xã Chiềng Mai")}"' in page


def test_producer_page_shows_profile_products_with_badges_and_licences(client):
    producer = Partner.objects.get(code="chieng-mai-coffee")
    coffee = product("CF-001")

    page = body(client.get("/producers/chieng-mai-coffee/"))

    assert producer.name in page and producer.phone in page and "Xã Chiềng Mai" in page
    assert producer.story[:40] in page
    assert "<svg class=\"ocop-producer-logo\"" in page  # no logo uploaded: the drawn placeholder
    assert coffee.get_absolute_url() in page
    assert 'data-ocop-stars="5"' in page
    assert 'data-gi="ca-phe-son-la"' in page  # the licence, listed with the profile
    assert product("MT-001").get_absolute_url() not in page  # another producer's product


def test_unknown_producer_is_404(client):
    assert client.get("/producers/no-such-producer/").status_code == 404
    Partner.objects.create(name="Kho tổng", code="kho-tong")
    assert client.get("/producers/kho-tong/").status_code == 404


def test_producer_pages_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    listing = body(client.get("/producers/?type=household"))
    page = body(client.get("/producers/song-ma-longan/"))

    assert "OCOP producers" in listing and "Household business" in listing
    assert '<html lang="en"' in page and "Contact" in page


def test_producer_page_queries_do_not_grow_with_products(client, django_assert_num_queries):
    url = "/producers/chieng-mai-coffee/"
    client.get(url)  # warm caches (site, thumbnails)
    with django_assert_num_queries(PRODUCER_PAGE_QUERIES):
        body(client.get(url))

    producer = Partner.objects.get(code="chieng-mai-coffee")
    more = Product.objects.filter(producer__code="thuan-chau-farm")
    assert more.count() >= 4
    for other in more:
        other.producer = producer
        other.save()
    client.get(url)  # their thumbnails, made once

    with django_assert_num_queries(PRODUCER_PAGE_QUERIES):
        page = body(client.get(url))
    assert page.count('class="product_pod"') == Product.objects.filter(producer=producer).count()


# Measured: the producer page, whatever its number of products.
PRODUCER_PAGE_QUERIES = 11  # the storefront header has no category menu (two queries fewer)

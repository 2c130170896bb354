"""A shopper sees today's OCOP badge wherever a product appears, and never a lapsed one."""
import pytest
from django.conf import settings

from catalog_ext.models import GILicence

from .helpers import STARS, body, card, catalogue_card, product, product_part, short_date, yesterday

pytestmark = pytest.mark.django_db


def test_five_star_coffee_shows_badge_and_gi_on_card_and_product_page(client):
    coffee = product("CF-001")

    page = product_part(body(client.get(coffee.get_absolute_url())))
    coffee_card = catalogue_card(client, coffee)

    for html in (page, coffee_card):
        assert 'data-ocop-stars="5"' in html
        assert 'data-gi="ca-phe-son-la"' in html
        assert 'aria-label="OCOP 5 sao"' in html


def test_expired_certificate_shows_no_badge_and_says_it_expired(client):
    rice = product("RC-001")
    certificate = rice.ocop_certificates.get()

    page = product_part(body(client.get(rice.get_absolute_url())))

    assert not STARS.search(page)
    assert f"Giấy chứng nhận đã hết hạn ngày {short_date(certificate.expires_on)}" in page
    assert "data-ocop-stars" not in card(body(client.get("/catalogue/?page=1")), rice)


def test_revoked_certificate_shows_no_badge_and_gives_the_reason(client):
    liquor = product("DR-003")
    certificate = liquor.ocop_certificates.get()

    page = product_part(body(client.get(liquor.get_absolute_url())))

    assert not STARS.search(page)
    assert f"Giấy chứng nhận đã bị thu hồi ngày {short_date(certificate.revoked_on)}" in page
    assert certificate.revoked_reason in page


def test_revoking_takes_the_badge_down_at_once_everywhere(client):
    coffee = product("CF-001")
    assert 'data-ocop-stars="5"' in catalogue_card(client, coffee)

    coffee.ocop_certificates.get(stars=5).revoke(reason="Kiểm tra lại hồ sơ (kiểm thử)")

    assert not STARS.search(product_part(body(client.get(coffee.get_absolute_url()))))
    assert "data-ocop-stars" not in catalogue_card(client, coffee)
    qr_page = body(client.get(f"/p/{coffee.upc}/"))
    assert "data-ocop-stars" not in qr_page
    assert "đã bị thu hồi" in qr_page


def test_gi_tag_goes_when_the_producers_licence_expires(client):
    coffee = product("CF-001")
    for licence in GILicence.objects.filter(producer=coffee.producer, gi=coffee.gi):
        licence.expires_on = yesterday()
        licence.save()  # as the office's form saves it (a queryset update would skip the badge periods)

    page = product_part(body(client.get(coffee.get_absolute_url())))

    assert "data-gi=" not in page
    assert 'data-ocop-stars="5"' in page  # the certificate is not the licence
    assert "data-gi=" not in catalogue_card(client, coffee)


def test_gi_tag_never_shows_without_a_licence(client):
    # Nà Ka lies inside the Mộc Châu tea GI's area, but holds no licence to use it.
    plum_wine = product("DR-001")
    tea_gi = product("TE-001").gi
    assert not GILicence.objects.filter(producer=plum_wine.producer).exists()
    assert tea_gi.area.filter(ward_code=plum_wine.producer.ward_code).exists()
    plum_wine.gi = tea_gi
    plum_wine.save()

    page = product_part(body(client.get(plum_wine.get_absolute_url())))

    assert "data-gi=" not in page
    assert tea_gi.name not in page
    assert 'data-ocop-stars="3"' in page


def test_basket_line_shows_the_badge(client):
    coffee = product("CF-001")

    client.post(f"/basket/add/{coffee.pk}/", {"quantity": 1})
    page = body(client.get("/basket/"))

    assert coffee.title in page
    line = page.split('class="basket-items"')[1]
    assert 'data-ocop-stars="5"' in line
    assert 'data-gi="ca-phe-son-la"' in line


def test_product_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rice = product("RC-001")
    certificate = rice.ocop_certificates.get()

    page = product_part(body(client.get(rice.get_absolute_url())))
    coffee_page = product_part(body(client.get(product("CF-001").get_absolute_url())))

    assert '<html lang="en"' in page
    assert f"The certificate expired on {short_date(certificate.expires_on, 'en')}" in page
    assert 'aria-label="OCOP 5 stars"' in coffee_page
    assert "Demo data, not a real certificate." in coffee_page

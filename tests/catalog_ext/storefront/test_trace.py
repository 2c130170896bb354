"""QR traceability: a stable short page per product, its QR code, and printable label sheets."""
import io
import re

import pytest
import segno
from django.conf import settings
from PIL import Image

from storefront import trace

from .helpers import STARS, Partner, body, product, short_date

pytestmark = pytest.mark.django_db


def test_qr_page_shows_live_certificate_producer_and_gi(client):
    coffee = product("CF-001")
    certificate = coffee.ocop_certificates.get(stars=5)
    licence = coffee.producer.gi_licences.get(gi=coffee.gi)

    page = body(client.get(f"/p/{coffee.upc}/"))

    assert coffee.title in page
    assert 'data-trace-state="valid"' in page and 'data-ocop-stars="5"' in page
    assert certificate.number in page and short_date(certificate.expires_on) in page
    assert coffee.producer.name in page and "Xã Chiềng Mai" in page
    assert licence.number in page
    assert f'href="{coffee.get_absolute_url()}"' in page  # buy online
    assert page.count("<img") == 1  # one thumbnail, nothing heavy


@pytest.mark.parametrize("sku, state, words", [
    ("RC-001", "expired", "đã hết hạn ngày"),
    ("DR-003", "revoked", "đã bị thu hồi ngày"),
    ("DF-005", "none", "Chưa được chứng nhận OCOP."),
])
def test_qr_page_states_a_lapsed_or_missing_certificate(client, sku, state, words):
    item = product(sku)

    page = body(client.get(f"/p/{trace.short_code(item)}/"))

    assert f'data-trace-state="{state}"' in page
    assert words in page
    assert not STARS.search(page)


def test_code_is_the_upc_else_the_pk_and_survives_a_rename(client):
    coffee = product("CF-001")
    assert trace.short_code(coffee) == coffee.upc
    coffee.title = "Cà phê đổi tên"
    coffee.save()
    assert trace.short_code(coffee) == coffee.upc

    coffee.upc = None
    coffee.save()

    assert trace.trace_path(coffee) == f"/p/{coffee.pk}/"
    assert "Cà phê đổi tên" in body(client.get(f"/p/{coffee.pk}/"))


def test_a_upc_a_url_cannot_carry_falls_back_to_the_pk(client):
    coffee = product("CF-001")
    coffee.upc = "SL/CF 001"
    coffee.save()

    assert trace.short_code(coffee) == str(coffee.pk)
    assert coffee.title in body(client.get(f"/p/{coffee.pk}/"))
    assert f'href="/p/{coffee.pk}/"' in body(client.get(coffee.get_absolute_url()))


def test_a_pk_is_not_a_code_for_a_product_that_has_a_upc(client):
    coffee = product("CF-001")

    assert client.get(f"/p/{coffee.pk}/").status_code == 404


def test_unknown_or_hidden_code_is_404(client):
    assert client.get("/p/0000000000000/").status_code == 404
    assert client.get("/p/99999999999999999999999999/").status_code == 404
    assert client.get("/p/not-a-code/qr.svg").status_code == 404
    honey = product("HN-001")
    honey.is_public = False
    honey.save()
    assert client.get(f"/p/{honey.upc}/").status_code == 404


def _modules(png: bytes, scale: int, border: int) -> list[list[bool]]:
    """Read a QR PNG back into its module matrix (dark = True) by sampling module centres."""
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width // scale - 2 * border
    return [[image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128
             for x in range(size)] for y in range(size)]


def test_qr_png_encodes_the_absolute_trace_url(client):
    coffee = product("CF-001")
    url = f"http://testserver/p/{coffee.upc}/"

    response = client.get(f"/p/{coffee.upc}/qr.png")

    assert response["Content-Type"] == "image/png"
    assert "max-age" in response["Cache-Control"] and "public" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    image.verify()
    expected = [[bool(m) for m in row] for row in segno.make(url, error="m").matrix]
    assert _modules(response.content, scale=8, border=2) == expected


def test_qr_svg_encodes_the_absolute_trace_url(client):
    coffee = product("CF-001")
    url = f"http://testserver/p/{coffee.upc}/"

    response = client.get(f"/p/{coffee.upc}/qr.svg")

    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age" in response["Cache-Control"]
    svg = response.content.decode()
    assert "<svg" in svg and 'xmlns="http://www.w3.org/2000/svg"' in svg
    expected = io.BytesIO()
    segno.make(url, error="m").save(expected, kind="svg", scale=8, border=2, xmldecl=True, svgns=True)
    assert svg == expected.getvalue().decode()
    other = io.BytesIO()
    segno.make(f"http://testserver/p/{product('CF-002').upc}/", error="m").save(other, kind="svg", scale=8, border=2)
    assert svg != other.getvalue().decode()


def test_label_sheet_needs_a_login(client):
    response = client.get("/p/labels/?producer=chieng-mai-coffee")

    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)


def test_label_sheet_refuses_another_producers_user(client):
    client.login(username="mocchau.tea@ocop.demo", password="ocop-producer-2026")

    assert client.get("/p/labels/?producer=chieng-mai-coffee").status_code == 403
    assert client.get("/p/labels/?producer=no-such-producer").status_code == 404


def test_label_sheet_of_own_products_only(client):
    client.login(username="htx.chiengmai@ocop.demo", password="ocop-producer-2026")
    own = Partner.objects.get(code="chieng-mai-coffee")
    certified = {str(p.pk) for p in own.produced_products.filter(is_public=True, ocop_certificates__isnull=False)}

    page = body(client.get("/p/labels/?producer=chieng-mai-coffee"))
    default = body(client.get("/p/labels/"))  # a producer with one partner needs no parameter

    labelled = set(re.findall(r'class="label" data-product="(\d+)"', page))
    assert labelled == certified and len(certified) >= 3
    assert "ocop/ocop-trace.css" in page and "@page" in (settings.BASE_DIR / "static/ocop/ocop-trace.css").read_text()
    assert page.count("<svg") == len(certified)
    assert 'data-ocop-stars="5"' in page and product("CF-001").ocop_certificates.get(stars=5).number in page
    assert set(re.findall(r'class="label" data-product="(\d+)"', default)) == certified


def test_staff_print_labels_for_any_producer(admin_client):
    assert admin_client.get("/p/labels/?producer=moc-chau-tea").status_code == 200


def test_qr_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rice = product("RC-001")

    page = body(client.get(f"/p/{rice.upc}/"))

    assert '<html lang="en"' in page
    assert "The certificate expired on" in page


def test_staff_without_a_producer_choose_one(admin_client):
    page = body(admin_client.get("/p/labels/"))

    assert 'href="?producer=chieng-mai-coffee"' in page and 'href="?producer=moc-chau-tea"' in page


def test_producer_page_offers_labels_only_to_who_may_print_them(client):
    assert "/p/labels/?producer=chieng-mai-coffee" not in body(client.get("/producers/chieng-mai-coffee/"))
    client.login(username="mocchau.tea@ocop.demo", password="ocop-producer-2026")
    assert "/p/labels/?producer=chieng-mai-coffee" not in body(client.get("/producers/chieng-mai-coffee/"))
    client.login(username="htx.chiengmai@ocop.demo", password="ocop-producer-2026")
    assert "/p/labels/?producer=chieng-mai-coffee" in body(client.get("/producers/chieng-mai-coffee/"))


def test_product_page_links_its_trace_page(client):
    coffee = product("CF-001")

    assert f'href="/p/{coffee.upc}/"' in body(client.get(coffee.get_absolute_url()))

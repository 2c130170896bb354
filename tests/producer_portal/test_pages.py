"""The portal's own phone layout (issue 19): every page in it, none of Oscar's dashboard chrome; the
products page (description and photos), the profile, "Mark packed" without a carrier, and the
styled 403 and 404 pages."""
from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image

from .conftest import order_of, record

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")

PORTAL_PAGES = ["producer-home", "producer-orders", "producer-stock", "producer-products", "producer-profile",
                "producer-notices", "producer-money", "producer-bank-account", "producer-messages",
                "producer-stock-import"]


def test_every_portal_page_has_the_portal_layout_and_none_of_oscars_dashboard(client_a):
    for name in PORTAL_PAGES:
        page = client_a.get(reverse(f"dashboard:{name}"))
        html = page.content.decode()
        assert page.status_code == 200, name
        assert 'class="pp-tabs"' in html and "ocop/ocop.css" in html and "producer_portal/portal.css" in html, name
        assert "dashboard.css" not in html and "oscar/img" not in html and 'class="navbar' not in html, name
        # the tab of the page is marked current; five tabs, each a link
        tabs = html[html.index('class="pp-tabs"'):].split("</nav>")[0]
        assert tabs.count('class="pp-tab"') == 5
    orders = client_a.get(reverse("dashboard:producer-orders")).content.decode()
    current = re.search(r'<a class="pp-tab" href="([^"]+)" aria-current="page">', orders)
    assert current and current.group(1) == reverse("dashboard:producer-orders")


def test_mark_packed_is_not_held_back_by_the_carrier_field(client_a):
    order = order_of(("CF-002", 1))
    url = reverse("dashboard:producer-order", kwargs={"number": order.number})
    html = client_a.get(url).content.decode()
    pack = re.search(r'<button[^>]*value="pack"[^>]*>', html).group(0)
    carrier = re.search(r'<input[^>]*name="carrier"[^>]*>', html).group(0)
    assert "required" in carrier and "formnovalidate" in pack  # the browser checks the carrier on "ship" only
    line = order.lines.get()
    answer = client_a.post(url, {"action": "pack", "line": [line.pk], "carrier": ""}, follow=True)
    assert answer.status_code == 200 and 'data-error="carrier"' not in answer.content.decode()
    line.refresh_from_db()
    assert line.status == "Packed"


def png(colour="green") -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(data, "PNG")
    data.seek(0)
    data.name = "anh-san-pham.png"
    return data


def photo_post(product, **extra):
    """The product page's form as a browser posts it: the description, the photos formset."""
    photos = list(product.images.order_by("display_order", "pk"))
    data = {"description": product.description, "images-TOTAL_FORMS": len(photos) + 1,
            "images-INITIAL_FORMS": len(photos), "images-MIN_NUM_FORMS": 0, "images-MAX_NUM_FORMS": 8}
    for index, photo in enumerate(photos):
        data.update({f"images-{index}-id": photo.pk, f"images-{index}-product": product.pk,
                     f"images-{index}-caption": photo.caption})
    data[f"images-{len(photos)}-product"] = product.pk
    data.update(extra)
    return data


def test_a_producer_edits_the_description_and_photos_of_their_own_product_only(client_a, producer_a):
    product = record("CF-003").product
    url = reverse("dashboard:producer-product", kwargs={"pk": product.pk})
    listing = client_a.get(reverse("dashboard:producer-products")).content.decode()
    assert url in listing and "Cà phê Honey Chiềng Mai 250g" in listing and "Chè" not in listing
    before = product.images.count()
    typed = "Cà phê chế biến mật ong.\n\nPha phin 20 g cho 100 ml."
    answer = client_a.post(url, photo_post(product, description=typed,
                                           **{f"images-{before}-original": png(),
                                              f"images-{before}-caption": "Gói 250g"}))
    assert answer.status_code == 302, answer.context and answer.context["photos"].errors
    product.refresh_from_db()
    assert product.description == "<p>Cà phê chế biến mật ong.</p>\n\n<p>Pha phin 20 g cho 100 ml.</p>"
    added = product.images.order_by("-display_order").first()
    assert product.images.count() == before + 1 and added.caption == "Gói 250g" and added.display_order == before
    # markup typed as markup is kept, cleaned (shop/rich_text.py)
    client_a.post(url, photo_post(product, description="<p>Đậm <b>vị</b></p><script>alert(1)</script>"))
    product.refresh_from_db()
    assert product.description.startswith("<p>Đậm <b>vị</b></p>") and "<script" not in product.description
    # a photo removed
    index = list(product.images.order_by("display_order", "pk")).index(added)
    client_a.post(url, photo_post(product, **{f"images-{index}-DELETE": "on"}))
    assert product.images.count() == before
    # another producer's product is a 404, read or written
    tea = record("TE-002").product
    other = reverse("dashboard:producer-product", kwargs={"pk": tea.pk})
    assert client_a.get(other).status_code == 404
    assert client_a.post(other, photo_post(tea, description="hacked")).status_code == 404
    tea.refresh_from_db()
    assert tea.description != "<p>hacked</p>"


def test_a_photo_that_is_no_image_is_refused_and_nothing_is_saved(client_a):
    product = record("CF-003").product
    url = reverse("dashboard:producer-product", kwargs={"pk": product.pk})
    fake = io.BytesIO(b"not an image at all")
    fake.name = "anh.jpg"
    before = (product.description, product.images.count())
    answer = client_a.post(url, photo_post(product, description="Mới", **{
        f"images-{before[1]}-original": fake}))
    assert answer.status_code == 200 and 'data-error="original"' in answer.content.decode()
    product.refresh_from_db()
    assert (product.description, product.images.count()) == before


def test_the_profile_shows_the_producer_and_leads_to_bank_account_and_messages(client_a, producer_a):
    html = client_a.get(reverse("dashboard:producer-profile")).content.decode()
    assert producer_a.name in html and "htx.chiengmai@ocop.demo" in html
    for name in ("producer-bank-account", "producer-messages", "producer-notices", "producer-money"):
        assert reverse(f"dashboard:{name}") in html
    assert f'action="{reverse("dashboard:logout")}"' in html


def test_the_home_shows_each_certificates_status(client_b):
    home = client_b.get(reverse("dashboard:producer-home"))
    rows = {c.number: c for c in home.context["certificate_rows"]}
    assert rows["DEMO-SL-2023-TE003"].expiring  # the demo's tea certificate about to expire
    html = home.content.decode()
    assert 'data-certificate="DEMO-SL-2023-TE003"' in html and "Sắp hết hạn" in html


def test_forbidden_inside_the_portal_is_the_styled_403_page(client):
    client.force_login(get_user_model().objects.get(email="khach@ocop.demo"))  # a shopper, no dashboard access
    page = client.get(reverse("dashboard:producer-home"))
    html = page.content.decode()
    assert page.status_code == 403
    assert 'data-error-page="403"' in html and "Bạn không mở được trang này" in html and 'href="/"' in html
    assert "ocop/ocop.css" in html and "403 Forbidden" not in html


def test_another_producers_order_is_the_styled_404_page_with_the_way_back(client_a):
    order = order_of(("TE-002", 1))
    page = client_a.get(reverse("dashboard:producer-order", kwargs={"number": order.number}))
    html = page.content.decode()
    assert page.status_code == 404 and 'data-error-page="404"' in html
    assert "Không tìm thấy" in html and f'href="{reverse("dashboard:producer-home")}"' in html
    shop = client_a.get("/no-such-page/")
    assert shop.status_code == 404 and reverse("dashboard:producer-home") not in shop.content.decode()

"""A pick-up order on the shopper's account page and on the tracking page: "Nhận tại điểm trưng bày:" with
the showroom's name, address and opening hours, the collector's name and phone, and never the
showroom printed as a shipping address (issue 16)."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from shop.order.tracking import tracking_url
from showrooms.models import Showroom
from tests.catalog_ext.storefront.helpers import body
from tests.catalog_ext.storefront.test_orders import place_order

from .world import checkout_pickup, shelf_of

pytestmark = pytest.mark.django_db

TAGS = re.compile(r"<[^>]+>")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", TAGS.sub("", html))


def pickup_place(page: str) -> str:
    return text(page.split('id="pickup-place"')[1].split("</section>")[0])


@pytest.fixture
def shopper():
    return get_user_model().objects.get(email="khach@ocop.demo")


@pytest.fixture
def pickup_order(client, shopper):
    moc_chau = Showroom.objects.get(slug="demo-moc-chau")
    order = checkout_pickup(client, moc_chau, [(shelf_of(moc_chau)[0].product, 1)])
    order.user = shopper  # the shopper's own order, as when signed in at checkout
    order.save(update_fields=["user"])
    return order


def assert_shows_the_showroom_not_an_address(page):
    place = pickup_place(page)
    assert "Nhận tại điểm trưng bày: Điểm OCOP Mộc Châu, Số 15 đường 19/5 (demo), Phường Mộc Châu, Sơn La" in place
    assert "Giờ mở cửa: Thứ Hai – Chủ Nhật: 7:30 – 21:00" in place
    assert "Người nhận: Lò Thị Mai · 0987 654 321" in place
    assert "Sẵn sàng để nhận" in place
    outside = page.replace(page.split('id="pickup-place"')[1].split("</section>")[0], "")
    assert "Số 15 đường 19/5" not in outside  # not again as where it is shipped to
    assert "Địa chỉ giao hàng" not in text(page)


def test_the_account_order_page_of_a_pick_up_says_where_to_collect_it(client, shopper, pickup_order):
    client.force_login(shopper)

    page = body(client.get(reverse("customer:order", kwargs={"order_number": pickup_order.number})))

    assert_shows_the_showroom_not_an_address(page)


def test_the_tracking_page_of_a_pick_up_says_where_to_collect_it(client, pickup_order):
    page = body(client.get(tracking_url(pickup_order)))

    assert_shows_the_showroom_not_an_address(page)


def test_a_delivered_order_still_shows_its_shipping_address(client, shopper):
    order = place_order(user=shopper)
    client.force_login(shopper)

    for page in (body(client.get(reverse("customer:order", kwargs={"order_number": order.number}))),
                 body(client.get(tracking_url(order)))):
        assert 'id="pickup-place"' not in page and "Nhận tại điểm trưng bày" not in page
        assert "12 Tô Hiệu" in page and "Địa chỉ giao hàng" in text(page)

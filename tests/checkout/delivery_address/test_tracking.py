"""Guests find their order by its number and their e-mail or phone, or by a signed link."""
import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from shop.order import statuses
from shop.order.tracking import token_for, tracking_url
from tests.catalog_ext.storefront.helpers import body
from tests.catalog_ext.storefront.test_orders import place_order

pytestmark = pytest.mark.django_db

NOT_FOUND = "Không tìm thấy đơn hàng với mã và email hoặc số điện thoại này."


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def alert(page: str) -> str:
    return re.search(r"data-tracking-error>(.*?)</div>", page, re.S).group(1)


def path_of(url: str) -> str:
    return urlsplit(url).path


def track(client, number, contact, ip="203.0.113.7"):
    return client.post("/orders/track/", {"number": number, "contact": contact}, REMOTE_ADDR=ip)


def test_the_right_number_and_email_show_the_order(client):
    order = place_order()

    page = body(track(client, order.number, "  Khach.VangLai@example.vn "))

    assert f'data-order-status="{statuses.PROCESSING}"' in page and "Đang xử lý" in page
    assert "Cà phê Arabica Sơn La rang xay" in page and 'data-ocop-stars="5"' in page
    assert "Măng sặt khô Vân Hồ" in page
    assert "275.000 ₫" in page  # 185.000 ₫ + 90.000 ₫, free shipping in this order
    assert "12 Tô Hiệu" in page


@pytest.mark.parametrize("phone", ["0912 345 678", "+84912345678", "84 912 345 678"])
def test_the_right_number_and_phone_show_the_order(client, phone):
    order = place_order()

    assert "Đang xử lý" in body(track(client, order.number, phone))


def test_a_wrong_pair_and_an_unknown_number_get_the_same_answer(client):
    order = place_order()

    wrong_email = body(track(client, order.number, "someone@example.vn"))
    wrong_phone = body(track(client, order.number, "0987 654 321"))
    no_such_order = body(track(client, "99999999", "khach.vanglai@example.vn"))

    for page in (wrong_email, wrong_phone, no_such_order):
        assert NOT_FOUND in page
        assert "Đang xử lý" not in page
    assert alert(wrong_email) == alert(wrong_phone) == alert(no_such_order)


@pytest.mark.parametrize("number, contact", [("", ""), ("x" * 5000, "y" * 5000), ("1' OR 1=1 --", "abc"),
                                             ("100001", "0912abc678")])
def test_garbage_gets_the_form_back_not_a_crash(client, number, contact):
    response = track(client, number, contact)

    assert response.status_code == 200
    assert "Đang xử lý" not in body(response)


def test_after_ten_failures_from_one_address_even_the_right_pair_waits(client):
    order = place_order()
    for _ in range(10):
        assert track(client, order.number, "wrong@example.vn").status_code == 200

    blocked = track(client, order.number, "khach.vanglai@example.vn")

    assert blocked.status_code == 429
    assert "Bạn đã thử quá nhiều lần" in blocked.content.decode()
    assert "Đang xử lý" in body(track(client, order.number, "khach.vanglai@example.vn", ip="198.51.100.9"))


def test_the_signed_link_shows_the_order_without_asking(client):
    order = place_order()

    url = tracking_url(order)

    assert url.startswith("http") and f"/orders/track/{order.number}/" in url
    assert "Đang xử lý" in body(client.get(path_of(url)))


def test_tracking_url_is_absolute_for_the_request():
    from django.test import RequestFactory

    order = place_order()

    url = tracking_url(order, RequestFactory().get("/"))

    assert url == f"http://testserver/orders/track/{order.number}/{token_for(order)}/"


def test_a_tampered_or_foreign_link_is_not_found(client):
    order, other = place_order(), place_order()

    assert client.get(f"/orders/track/{order.number}/{token_for(order)}x/").status_code == 404
    assert client.get(f"/orders/track/{order.number}/{token_for(other)}/").status_code == 404
    assert client.get(f"/orders/track/{order.number}/{'A' * 3000}/").status_code == 404


def test_the_status_is_shown_in_vietnamese_as_it_changes(client):
    order = place_order()
    order.set_status(statuses.SHIPPED)

    page = body(client.get(path_of(tracking_url(order))))

    assert f'data-order-status="{statuses.SHIPPED}"' in page and "Đã gửi hàng" in page


def test_behind_a_proxy_failures_are_counted_per_client_not_per_proxy(client, settings):
    settings.TRUSTED_PROXIES = 1
    order = place_order()
    for _ in range(10):
        client.post("/orders/track/", {"number": order.number, "contact": "x@example.vn"},
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.50")

    blocked = client.post("/orders/track/", {"number": order.number, "contact": "khach.vanglai@example.vn"},
                          REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.50")
    other = client.post("/orders/track/", {"number": order.number, "contact": "khach.vanglai@example.vn"},
                        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.51")

    assert blocked.status_code == 429  # a forged left-hand entry does not reset the counter
    assert "Đang xử lý" in body(other)


def test_the_order_page_costs_the_same_queries_for_two_lines_or_five(client, django_assert_num_queries):
    small = place_order(lines=(("CF-001", 1), ("DF-005", 1)))
    large = place_order(lines=(("CF-001", 1), ("CF-002", 2), ("TE-001", 1), ("RC-001", 1), ("DF-005", 1)))
    client.get(path_of(tracking_url(small)))  # warm the category menu cache

    with django_assert_num_queries(10):  # the storefront header has no category menu
        body(client.get(path_of(tracking_url(small))))
    with django_assert_num_queries(10):  # the storefront header has no category menu
        body(client.get(path_of(tracking_url(large))))

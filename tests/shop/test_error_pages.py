"""What a visitor sees when a page does not exist or the server fails, as production shows it
(DEBUG=0): Vietnamese, in the shop's look, on the storefront, the dashboard and the POS alike."""
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db.utils import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def signed_in(email):
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(email=email))
    return client


@pytest.mark.parametrize(("who", "url"), [
    (None, "/khong-co-trang-nay/"),
    (None, "/catalogue/khong-co-san-pham_999999/"),
    ("admin@ocop.demo", "/dashboard/khong-co/"),
    ("thungan.moc-chau@ocop.demo", "/pos/sales/KHONGCO/receipt/"),
])
def test_a_missing_page_is_the_shops_vietnamese_404(who, url):
    client = signed_in(who) if who else Client()
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page and 'class="error-page"' in page
    assert "ocop.css" in page and 'name="q"' in page  # the shop's layout, with its search box
    assert "Traceback" not in page


@pytest.mark.parametrize("url", ["/", "/dashboard/", "/pos/"])
def test_a_failing_page_is_the_shops_500_without_a_traceback(url):
    client = signed_in("admin@ocop.demo")
    with mock.patch("django.urls.resolvers.URLResolver.resolve", side_effect=RuntimeError("bug")):
        response = client.get(url)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Xin lỗi, hệ thống đang gặp sự cố" in page and "ocop.css" in page
    assert "RuntimeError" not in page and "Traceback" not in page


def test_a_lost_database_is_a_503_that_says_to_try_again():
    with mock.patch("django.urls.resolvers.URLResolver.resolve",
                    side_effect=OperationalError("server closed the connection unexpectedly")):
        response = Client(raise_request_exception=False).get("/catalogue/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in page and "thử lại" in page and "ocop.css" in page
    assert "OperationalError" not in page


@pytest.mark.parametrize("url", ["/basket/", "/accounts/login/"])
def test_a_form_sent_without_its_token_gets_a_vietnamese_page_that_says_what_to_do(url):
    """A form kept open past its session, or a browser blocking cookies, fails the CSRF check: the
    shopper sees the shop's page in Vietnamese telling them to reload and send again, not Django's
    bare English "CSRF verification failed"."""
    response = Client(enforce_csrf_checks=True, raise_request_exception=False).post(url, {"x": "1"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-error-page="csrf"' in page and "ocop.css" in page
    assert "Tải lại trang" in page and "cookie" in page
    assert "CSRF verification failed" not in page

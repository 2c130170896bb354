"""The producers' and office's sign-in (/dashboard/login/): the portal's look on a phone, the field
says what it holds (an e-mail), a wrong password is said plainly in Vietnamese, a forgotten
password has a way out, and a producer lands on their own home."""
import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRODUCER = ("mocchau.tea@ocop.demo", "ocop-producer-2026")


def field(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


def test_the_sign_in_page_is_the_portals_phone_page_with_an_email_field():
    page = Client().get("/dashboard/login/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "producer_portal/portal.css" in page and "oscar/css/dashboard.css" not in page
    username = field(page, "username")
    assert 'type="email"' in username and 'autocomplete="username"' in username
    assert 'autocomplete="current-password"' in field(page, "password")
    assert re.search(r'<label for="id_username">\s*E-?mail\s*</label>', page)
    assert "Tên đăng nhập" not in page  # Django's "Username": producers sign in with their e-mail
    assert f'href="{reverse("password-reset")}"' in page and "Quên mật khẩu?" in page
    assert f'href="{reverse("customer:login")}"' in page  # a shopper who landed here finds their way


def test_a_wrong_password_is_said_plainly_and_the_email_is_kept():
    response = Client(REMOTE_ADDR="198.51.100.40").post(
        "/dashboard/login/", {"username": PRODUCER[0], "password": "not-it"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Email hoặc mật khẩu không đúng" in page
    assert f'value="{PRODUCER[0]}"' in field(page, "username")


def test_a_producer_signs_in_and_lands_on_their_home():
    client = Client(REMOTE_ADDR="198.51.100.41")
    response = client.post("/dashboard/login/", {"username": PRODUCER[0], "password": PRODUCER[1]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard:producer-home")

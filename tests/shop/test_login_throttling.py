"""Every login form locks a username from one address after AXES_FAILURE_LIMIT wrong passwords
(django-axes, shop/auth_throttle.py): the shop's (customers, and cashiers: the counter's sign-in
is the shop's), the dashboard's (producers, office) and /admin/'s. The lockout is a Vietnamese
page in the shop's look; a success resets the count; the address honours TRUSTED_PROXIES."""
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# role, login URL, form field prefix, account, password
LOGINS = {
    "customer": ("/accounts/login/", "login-", "khach@ocop.demo", "ocop-customer-2026"),
    "cashier (counter sign-in)": ("/accounts/login/?next=/pos/", "login-", "thungan.moc-chau@ocop.demo",
                                  "ocop-cashier-2026"),
    "producer (dashboard)": ("/dashboard/login/", "", "mocchau.tea@ocop.demo", "ocop-producer-2026"),
    "office staff (admin)": ("/admin/login/?next=/admin/", "", "admin@ocop.demo", "ocop-admin-2026"),
}


def attempt(client, role, password, *, username=None, **extra):
    url, prefix, account, _ = LOGINS[role]
    data = {f"{prefix}username": username or account, f"{prefix}password": password}
    if prefix:
        data["login_submit"] = "1"  # Oscar's combined login/register page says which form it is
    return client.post(url, data, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


@pytest.mark.parametrize("role", LOGINS)
def test_wrong_passwords_lock_the_login_then_even_the_right_one_is_refused(role):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(2):
        response = attempt(client, role, "wrong-password")
        assert response.status_code == 200  # the form again, with its error
    response = attempt(client, role, "wrong-password")
    assert response.status_code == 429
    page = response.content.decode()
    assert "data-locked-out" in page and "Tạm dừng đăng nhập" in page  # the shop's page, in Vietnamese
    assert int(response["Retry-After"]) == 15 * 60
    response = attempt(client, role, LOGINS[role][3])
    assert response.status_code == 429 and not signed_in(client)
    # the same account from another address is not locked out
    other = Client(REMOTE_ADDR="198.51.100.9")
    response = attempt(other, role, LOGINS[role][3])
    assert response.status_code == 302 and signed_in(other)


@pytest.mark.parametrize("role", ["customer", "producer (dashboard)"])
def test_a_success_resets_the_count(role):
    client = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(2):
        attempt(client, role, "wrong-password")
    assert attempt(client, role, LOGINS[role][3]).status_code == 302
    client.logout()
    for _ in range(2):
        assert attempt(client, role, "wrong-password").status_code == 200
    assert attempt(client, role, LOGINS[role][3]).status_code == 302


def test_changing_the_case_of_the_e_mail_is_the_same_username():
    client = Client(REMOTE_ADDR="203.0.113.9")
    for username in ("khach@ocop.demo", "KHACH@ocop.demo", " Khach@Ocop.Demo"):
        response = attempt(client, "customer", "wrong-password", username=username)
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_client_address_counts_not_the_proxys(settings):
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for _ in range(3):
        response = attempt(Client(REMOTE_ADDR=proxy), "customer", "wrong-password",
                           HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert response.status_code == 429
    # another client behind the same proxy signs in; a forged left-most entry changes nothing
    another = Client(REMOTE_ADDR=proxy)
    response = attempt(another, "customer", LOGINS["customer"][3], HTTP_X_FORWARDED_FOR="203.0.113.11")
    assert response.status_code == 302
    forged = attempt(Client(REMOTE_ADDR=proxy), "customer", LOGINS["customer"][3],
                     HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.10")
    assert forged.status_code == 429


def test_registration_still_signs_the_new_customer_in():
    """Oscar's sign-up authenticates without a request: the throttle must let it through."""
    client = Client(REMOTE_ADDR="203.0.113.12")
    response = client.post("/accounts/login/", {
        "registration-email": "moi@example.vn", "registration-password1": "Mat-ong-Son-La-2026",
        "registration-password2": "Mat-ong-Son-La-2026", "registration_submit": "1"})
    assert response.status_code == 302 and signed_in(client)


def test_the_lockout_page_speaks_english_when_english_was_chosen():
    client = Client(REMOTE_ADDR="203.0.113.13")
    client.cookies["django_language"] = "en"
    for _ in range(3):
        response = attempt(client, "customer", "wrong-password")
    assert response.status_code == 429 and "Sign-in paused" in response.content.decode()

"""The one client-address rule (core/client_ip.py): always a real IP address or nothing.

django-axes stores it in an inet column on PostgreSQL: a sign-in from a request without
REMOTE_ADDR (the test client's force_login, gunicorn on a unix socket) wrote 'unknown' and failed."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from core.client_ip import axes_client_ip, client_ip

pytestmark = pytest.mark.django_db


def request(remote="", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_no_address_is_none_for_the_lockout_log_and_one_shared_key_for_counters():
    assert axes_client_ip(request()) is None
    assert client_ip(request()) == "unknown"


def test_behind_a_proxy_a_forwarded_entry_that_is_no_address_is_not_taken(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request("10.0.0.2", "203.0.113.7")) == "203.0.113.7"
    assert client_ip(request("10.0.0.2", "<script>")) == "10.0.0.2"
    assert axes_client_ip(request("10.0.0.2", "x" * 300)) == "10.0.0.2"


def test_signing_in_without_a_remote_address_works_on_every_database():
    user = get_user_model().objects.get(email="khach@ocop.demo")
    client = Client(REMOTE_ADDR="")
    client.force_login(user)
    assert client.get("/accounts/profile/").status_code == 200

"""E-mail links point at the shop's real address (issue 19: they said port 8000 whatever the
site's address): SITE_DOMAIN when it is set, else the host the shopper used, else the Sites
framework's domain (core.site_links)."""
import re

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client, RequestFactory

from core.site_links import absolute, site_root

from .checkout import GUEST_EMAIL, checkout

pytestmark = pytest.mark.django_db


def _confirmation():
    return [m for m in mail.outbox if m.to == [GUEST_EMAIL]][-1]


def _links(message):
    text, html = message.body, message.alternatives[0][0]
    return re.findall(r"https?://[^\s\"'<]+", text), re.findall(r'href="(https?://[^"]+)"', html)


def test_the_confirmation_links_to_the_host_the_shopper_used(settings, django_capture_on_commit_callbacks):
    settings.SITE_DOMAIN_FROM_ENV = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "shop.lan"]
    assert Site.objects.get_current().domain == "127.0.0.1:8000"  # the row made at migrate
    client = Client(HTTP_HOST="shop.lan:8080")
    with django_capture_on_commit_callbacks(execute=True):
        _, order = checkout(client, "cod")

    text_links, html_links = _links(_confirmation())
    status = f"http://shop.lan:8080/accounts/order-status/{order.number}/"
    assert any(link.startswith(status) for link in text_links), text_links
    assert any(link.startswith(status) for link in html_links), html_links
    assert not [link for link in text_links + html_links if ":8000" in link]
    opened = client.get(next(link for link in html_links if link.startswith(status)).removeprefix("http://shop.lan:8080"),
                        follow=True)
    assert opened.status_code == 200 and order.number in opened.content.decode()


def test_site_domain_from_the_environment_wins(settings, django_capture_on_commit_callbacks):
    settings.SITE_DOMAIN_FROM_ENV, settings.SITE_DOMAIN = True, "ocop.example.vn"
    client = Client(HTTP_HOST="127.0.0.1:8080")
    with django_capture_on_commit_callbacks(execute=True):
        _, order = checkout(client, "cod")

    text_links, html_links = _links(_confirmation())
    assert text_links and html_links
    assert all(link.startswith("http://ocop.example.vn/") or link.startswith("https://ocop.example.vn/")
               for link in text_links + html_links), text_links + html_links
    assert f"ocop.example.vn/accounts/order-status/{order.number}/" in " ".join(html_links)


def test_the_rule(settings):
    request = RequestFactory().get("/", HTTP_HOST="localhost:8123")
    settings.SITE_DOMAIN_FROM_ENV, settings.SITE_DOMAIN = False, "unused.example"
    settings.SECURE_SSL_REDIRECT = False
    assert site_root(request) == "http://localhost:8123"
    assert site_root() == f"http://{Site.objects.get_current().domain}"  # no request: the Sites row
    settings.SECURE_SSL_REDIRECT = True
    assert site_root() == f"https://{Site.objects.get_current().domain}"
    settings.SITE_DOMAIN_FROM_ENV = True
    assert site_root(request) == "http://unused.example"
    assert absolute("/a/", "https://x.vn/") == "https://x.vn/a/"

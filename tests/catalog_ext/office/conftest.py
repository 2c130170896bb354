"""Fixtures of the OCOP office tests: the demo's accounts, logged in, having chosen English."""
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


def _client_for(email: str | None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    if email:
        client.force_login(get_user_model().objects.get(email=email))
    return client


@pytest.fixture
def office(db):
    """The demo superuser: the OCOP office."""
    return _client_for("admin@ocop.demo")


@pytest.fixture
def producer(db):
    """A producer user (partner dashboard access, not staff)."""
    return _client_for("htx.chiengmai@ocop.demo")


@pytest.fixture
def customer(db):
    return _client_for("khach@ocop.demo")


@pytest.fixture
def anonymous(db):
    return _client_for(None)


def demo_product(sku: str):
    return StockRecord.objects.select_related("product__producer").get(partner_sku=sku).product

"""A fake Stripe on localhost, orders waiting for a card payment, and webhook events signed for real."""
import hashlib
import hmac
import json
import secrets
import time
from decimal import Decimal

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from oscar.core.loading import get_class, get_model

from shop.order import statuses
from tests.catalog_ext.storefront.helpers import product

from .fake_stripe import FakeStripe

SECRET_KEY = "sk_test_ocop_fake_" + "x" * 24
PUBLISHABLE_KEY = "pk_test_ocop_fake"
WEBHOOK_SECRET = "whsec_ocop_test_secret"
WEBHOOK_URL = "/checkout/stripe/webhook/"

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")
FixedPrice = get_class("shipping.methods", "FixedPrice")


@pytest.fixture
def fake_stripe(settings, monkeypatch):
    """The fake server, and the shop's Stripe settings pointing at it."""
    server = FakeStripe(secret_key=SECRET_KEY).start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # a developer's proxy must not see these calls
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = server.base_url
    settings.STRIPE_ENABLED = True
    settings.STRIPE_MAX_NETWORK_RETRIES = 0  # a test that wants the library's retries sets it
    yield server
    server.stop()


def pending_order(*, lines=(("CF-001", 1), ("DF-003", 2)), shipping=Decimal(35000), user=None,
                  email="khach.the@example.vn"):
    """An order placed as the checkout places a card order: "Pending payment", stock allocated."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for sku, quantity in lines:
        basket.add_product(product(sku), quantity)
    method = FixedPrice(charge_excl_tax=shipping, charge_incl_tax=shipping)
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    address = ShippingAddress.objects.create(
        first_name="Thu Hà", last_name="Nguyễn", line1="12 Tô Hiệu", line4="Sơn La",
        country=Country.objects.get(iso_3166_1_a2="VN"), phone_number="+84912345678")
    return OrderCreator().place_order(basket=basket, total=total, shipping_method=method, shipping_charge=charge,
                                      user=user, shipping_address=address, status=statuses.PENDING_PAYMENT,
                                      guest_email="" if user else email)


def shop_request(user=None, session=None):
    """The checkout's request, as start_session receives it."""
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().post("/checkout/preview/")
    request.user = user or AnonymousUser()
    request.session = session or SessionStore()
    request._messages = FallbackStorage(request)
    return request


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """Stripe-Signature as Stripe computes it: HMAC-SHA256 of "t.payload" with the endpoint secret."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(type: str, obj: dict, event_id: str | None = None) -> dict:
    return {"id": event_id or "evt_test_" + secrets.token_hex(12), "object": "event", "type": type,
            "api_version": "2025-01-27.acacia", "created": int(time.time()), "livemode": False,
            "data": {"object": obj}}


def send(client, payload, *, signature=None):
    """POST an event (a dict, or a raw body) to the webhook, signed with the test secret."""
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(WEBHOOK_URL, data=body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=sign(body) if signature is None else signature)

"""Order tracking for guests: find an order by its number and the e-mail or phone given at
checkout, or follow a signed link from an e-mail or from Stripe's cancel page.

The answer to a wrong pair never tells whether the number exists; failures are counted per IP
so nobody can walk through order numbers."""
from __future__ import annotations

from django.conf import settings
from django.contrib.sites.models import Site
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from oscar.core.loading import get_model

from shop.address.vn_forms import parse_vietnamese_phone

Order = get_model("order", "Order")

SALT = "shop.order.tracking"
MAX_FAILURES = 10
FAILURE_WINDOW_SECONDS = 600


def token_for(order) -> str:
    """The signature part of the order number, salted: good for this order's tracking page only."""
    return signing.Signer(salt=SALT).sign(order.number).rsplit(signing.Signer().sep, 1)[1]


def order_for_token(number: str, token: str):
    """The order the link was signed for, or None (tampered, or no such order)."""
    try:
        signing.Signer(salt=SALT).unsign(f"{number}{signing.Signer().sep}{token}")
    except signing.BadSignature:
        return None
    return Order.objects.filter(number=number).first()


def tracking_url(order, request=None) -> str:
    """The signed tracking page of the order: absolute (for e-mails, Stripe's cancel_url)."""
    path = reverse("order-tracking:signed", kwargs={"number": order.number, "token": token_for(order)})
    if request is not None:
        return request.build_absolute_uri(path)
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def find_order(*, number: str, contact: str):
    """The order with this number whose e-mail or shipping phone is `contact`, else None."""
    number, contact = (number or "").strip(), (contact or "").strip()
    if not number or not contact:
        return None
    order = Order.objects.filter(number=number).select_related("shipping_address", "user").first()
    if order is None:
        return None
    if "@" in contact:
        return order if (order.email or "").strip().lower() == contact.lower() else None
    phone = parse_vietnamese_phone(contact)
    address = order.shipping_address
    if phone is not None and address is not None and address.phone_number == phone:
        return order
    return None


def _failures_key(ip: str) -> str:
    return f"order-tracking:failures:{ip}"


def too_many_failures(ip: str) -> bool:
    return (cache.get(_failures_key(ip)) or 0) >= MAX_FAILURES


def count_failure(ip: str) -> None:
    key = _failures_key(ip)
    # add() starts the window; incr() keeps it (the window runs from the first failure).
    if not cache.add(key, 1, FAILURE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, FAILURE_WINDOW_SECONDS)

"""Card payment: open a Stripe Checkout Session for a placed order and send the shopper to it.

The checkout places the order as "Pending payment" first, then calls `start_session`; the
webhook (shop/payment/stripe_webhook.py) marks it paid. Amounts come from the order on the
server, in whole đồng: VND is a zero-decimal currency for Stripe, so 150.000 ₫ is 150000.

Settings are read at call time: STRIPE_SECRET_KEY, STRIPE_API_BASE (tests point it at a local
fake Stripe), CARD_PAYMENT_MINUTES (how long the session stays open, default 60),
STRIPE_MAX_NETWORK_RETRIES (default 2) and STRIPE_TIMEOUT_SECONDS (default 15).
"""
from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import stripe
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.order import statuses

from .stripe_models import StripeCheckout

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

SOURCE_TYPE = "Stripe"  # Oscar payment source type name of card payments
CURRENCY = "vnd"
# Stripe refuses expires_at sooner than 30 minutes or later than 24 hours after the session is
# created; a minute of margin covers the trip to Stripe and clock drift.
MIN_EXPIRY = dt.timedelta(minutes=31)
MAX_EXPIRY = dt.timedelta(hours=23, minutes=59)
# An open session this close to its expiry is not handed out again: the shopper needs time to pay.
REUSE_MARGIN = dt.timedelta(minutes=5)
NAME_LENGTH = 250


class CardPaymentError(Exception):
    """Stripe could not open a session. `message` is for the shopper; the order stays unpaid."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def to_dong(amount) -> int:
    """An amount of VND as Stripe takes it: an integer number of đồng."""
    value = Decimal(amount)
    if value != value.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of đồng")
    return int(value)


def start_session(*, order, request) -> str:
    """Where to send the shopper to pay `order` by card: the Stripe-hosted page.

    When Stripe cannot be reached or refuses, the order stays "Pending payment", the shopper gets
    a message and is sent to the thank-you page, which offers to try again. Never raises for a
    Stripe failure: the caller usually runs inside the request's transaction, and an exception
    would roll the placed order back."""
    if hasattr(request, "session"):
        # Stripe sends the shopper back to the thank-you page, which shows the order kept here.
        request.session["checkout_order_id"] = order.pk
    try:
        return open_session(order=order, request=request).url
    except CardPaymentError as error:
        messages.error(request, error.message, fail_silently=True)
        return reverse("checkout:thank-you")


def open_session(*, order, request) -> StripeCheckout:
    """The open Checkout Session of `order`, created now unless a usable one exists.
    Raises CardPaymentError with a message for the shopper."""
    if not settings.STRIPE_SECRET_KEY:
        raise CardPaymentError(_("Card payment is not available at the moment."))
    with transaction.atomic():
        locked = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
        if locked.status != statuses.PENDING_PAYMENT:
            raise CardPaymentError(
                _("Order %(number)s is not waiting for a card payment.") % {"number": locked.number})
        checkout = _current_attempt(locked)
    if checkout.status == StripeCheckout.OPEN:
        return checkout

    params = session_params(order=checkout.order, checkout=checkout, request=request)
    try:
        session = _client().v1.checkout.sessions.create(params, options={"idempotency_key": checkout.idempotency_key})
    except stripe.IdempotencyError as error:
        # The same key went out with other parameters: this attempt is spent, the next one is new.
        logger.error("Stripe idempotency conflict for order %s: %s", order.number, error)
        StripeCheckout.objects.filter(pk=checkout.pk, status=StripeCheckout.CREATING).update(
            status=StripeCheckout.FAILED)
        raise CardPaymentError(_("Card payment could not be started. Please try again.")) from error
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as error:
        logger.warning("Stripe unavailable for order %s: %s", order.number, error)
        raise CardPaymentError(
            _("The card payment service did not answer. Your order %(number)s is kept: please try "
              "again in a moment.") % {"number": order.number}) from error
    except stripe.StripeError as error:
        logger.error("Stripe refused the session for order %s: %s", order.number, error)
        raise CardPaymentError(
            _("Card payment could not be started for order %(number)s. Your order is kept: please try again, "
              "choose another payment method or contact us.") % {"number": order.number}) from error
    return _opened(checkout, session)


def _current_attempt(order) -> StripeCheckout:
    """The attempt to use now (the order is locked): a usable open session, the same attempt again
    while Stripe's answer is missing (same idempotency key, same parameters), or a new one."""
    latest = order.stripe_checkouts.order_by("-attempt").first()
    now = timezone.now()
    if latest is not None:
        if latest.status == StripeCheckout.OPEN and latest.expires_at > now + REUSE_MARGIN:
            return latest
        if latest.status == StripeCheckout.CREATING and latest.expires_at >= now + MIN_EXPIRY:
            return latest
        if latest.status == StripeCheckout.PROCESSING:
            raise CardPaymentError(
                _("Your card payment is being confirmed by your bank. Please wait for it before paying again."))
        if latest.status in (StripeCheckout.PAID, StripeCheckout.MISMATCH):
            raise CardPaymentError(
                _("A card payment for order %(number)s has been received; our staff are checking it.")
                % {"number": order.number})
    try:
        amount = to_dong(order.total_incl_tax)
    except ValueError as error:
        raise CardPaymentError(_("Card payment could not be started. Please try again.")) from error
    return StripeCheckout.objects.create(
        order=order, attempt=latest.attempt + 1 if latest else 1, amount=amount, currency=CURRENCY,
        expires_at=(now + expiry_delay()).replace(microsecond=0))


def expiry_delay() -> dt.timedelta:
    """How long a session stays open: CARD_PAYMENT_MINUTES, within the bounds Stripe accepts."""
    wanted = dt.timedelta(minutes=getattr(settings, "CARD_PAYMENT_MINUTES", 60))
    return min(max(wanted, MIN_EXPIRY), MAX_EXPIRY)


def session_params(*, order, checkout: StripeCheckout, request) -> dict:
    """The Checkout Session as Stripe takes it. The same attempt always gives the same parameters
    (names in the shop's language, the stored expiry), as Stripe's idempotency check requires."""
    thank_you = request.build_absolute_uri(reverse("checkout:thank-you"))
    with translation.override(settings.LANGUAGE_CODE):
        items = line_items(order)
    number = str(order.number)  # an int on an order just created in memory
    params = {
        "mode": "payment",
        "currency": CURRENCY,
        "line_items": items,
        "client_reference_id": number,
        "metadata": {"order_number": number, "attempt": str(checkout.attempt)},
        "payment_intent_data": {"metadata": {"order_number": number}},
        "expires_at": int(checkout.expires_at.timestamp()),
        # Stripe fills {CHECKOUT_SESSION_ID} in itself.
        "success_url": f"{thank_you}?session_id={{CHECKOUT_SESSION_ID}}",
        "cancel_url": cancel_url(order, request),
        "locale": "auto",
    }
    if order.email:
        params["customer_email"] = order.email
    return params


def line_items(order) -> list[dict]:
    """The order's lines and shipping in whole đồng, adding up to the order total exactly; when
    they do not (an order-level discount, a surcharge), one line for the whole order."""
    total = to_dong(order.total_incl_tax)
    items = []
    for line in order.lines.all():
        amount = to_dong(line.line_price_incl_tax)
        if not amount:
            continue
        if amount % line.quantity == 0:
            items.append(_item(line.title, amount // line.quantity, line.quantity))
        else:  # a discount that does not split evenly over the units
            items.append(_item(f"{line.title} × {line.quantity}", amount, 1))
    shipping = to_dong(order.shipping_incl_tax)
    if shipping:
        items.append(_item(_("Shipping: %(method)s") % {"method": order.shipping_method}, shipping, 1))
    if sum(item["price_data"]["unit_amount"] * item["quantity"] for item in items) != total:
        items = [_item(_("Order %(number)s") % {"number": order.number}, total, 1)]
    return items


def _item(name: str, unit_amount: int, quantity: int) -> dict:
    return {"price_data": {"currency": CURRENCY, "unit_amount": unit_amount,
                           "product_data": {"name": str(name)[:NAME_LENGTH]}},
            "quantity": quantity}


def cancel_url(order, request) -> str:
    """Where "back" on Stripe's page leads: the order's tracking page (home until it exists)."""
    try:
        from shop.order.tracking import tracking_url
    except ImportError:
        return request.build_absolute_uri(settings.OSCAR_HOMEPAGE)
    return request.build_absolute_uri(tracking_url(order, request))


def _client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE
    timeout = getattr(settings, "STRIPE_TIMEOUT_SECONDS", 15)
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        # Safe to retry: every create carries an idempotency key.
        max_network_retries=getattr(settings, "STRIPE_MAX_NETWORK_RETRIES", 2),
        http_client=stripe.RequestsClient(timeout=(5, timeout)),
    )


@transaction.atomic
def _opened(checkout: StripeCheckout, session) -> StripeCheckout:
    """Remember the session Stripe opened, and show the card as the order's payment source."""
    checkout = StripeCheckout.objects.select_for_update(no_key=True).select_related("order").get(pk=checkout.pk)
    if checkout.status == StripeCheckout.CREATING:
        checkout.session_id = session.id
        checkout.url = session.url
        checkout.status = StripeCheckout.OPEN
        checkout.save(update_fields=["session_id", "url", "status", "updated_at"])
    order = checkout.order
    kind, _created = SourceType.objects.get_or_create(name=SOURCE_TYPE)
    source, _created = Source.objects.get_or_create(
        order=order, source_type=kind, defaults={"currency": order.currency, "reference": session.id})
    if not source.amount_allocated:
        source.allocate(Decimal(checkout.amount), reference=session.id, status="pending")
    return checkout

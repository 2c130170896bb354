"""What a Stripe webhook event does to an order.

`verify` checks the signature on the raw body (anything else is refused before a row is written);
`process_event` handles one event in one transaction, once per event id. The order is found from
the session id (or payment intent) this shop stored when it opened the session, never from the
event's metadata alone; money goes through shop.order.services.record_payment, and only when the
amount and currency are exactly the order's.

Decisions:
- An event for a session this shop does not know is recorded, answered 200 and logged (the Stripe
  account may serve other systems; a 4xx would make Stripe retry it for days). Such an event is
  looked at again if Stripe sends it again, in case it arrived before the session was stored.
- A full refund of an order that has not shipped cancels it and gives its stock back; a partial
  refund, or one after shipping, is recorded with a note for staff (goods are already out).
"""
from __future__ import annotations

import logging
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.order import services, statuses

from .refunds import record_refund
from .stripe_checkout import CURRENCY, SOURCE_TYPE, to_dong
from .stripe_models import StripeCheckout, StripeEvent

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
Source = get_model("payment", "Source")


class BadEvent(Exception):
    """Not a Stripe event signed with our secret, or not readable: answer 400, write nothing."""


def verify(*, payload: bytes, signature: str | None) -> dict:
    """The event in `payload`, once its Stripe-Signature is verified with STRIPE_WEBHOOK_SECRET."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        logger.error("Stripe webhook received but STRIPE_WEBHOOK_SECRET is not set")
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except stripe.SignatureVerificationError as error:
        raise BadEvent("bad signature") from error
    except (ValueError, TypeError, AttributeError) as error:  # not UTF-8, not JSON, not a JSON object
        raise BadEvent("bad body") from error
    event = event.to_dict()
    obj = (event.get("data") or {}).get("object") if isinstance(event.get("data"), dict) else None
    if not (_text(event.get("id")) and _text(event.get("type")) and isinstance(obj, dict)):
        raise BadEvent("not an event")
    return event


def process_event(event: dict) -> StripeEvent:
    """Handle a verified event once. A replay of a handled event id changes nothing."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):  # notes are for the office
        record, new = _claim(event)
        if not new and record.handled:
            return record
        handler = HANDLERS.get(event["type"])
        if handler is None:
            order, outcome = None, "ignored type"
        else:
            order, outcome = handler(event["data"]["object"])
        if order is None:
            logger.warning("Stripe event %s (%s) ignored: %s", record.event_id, record.type, outcome)
        record.order, record.handled, record.outcome = order, order is not None, outcome[:255]
        record.save(update_fields=["order", "handled", "outcome"])
        return record


def _claim(event: dict) -> tuple[StripeEvent, bool]:
    try:
        with transaction.atomic():
            return StripeEvent.objects.create(event_id=event["id"][:255], type=event["type"][:100]), True
    except IntegrityError:  # seen before (or being handled right now: the lock waits for it)
        return StripeEvent.objects.select_for_update(no_key=True).get(event_id=event["id"][:255]), False


# ---------------------------------------------------------------------------- checkout sessions
def _checkout_for(session: dict) -> StripeCheckout | None:
    session_id = session.get("id")
    if not _text(session_id):
        return None
    checkout = StripeCheckout.objects.select_for_update(no_key=True).filter(session_id=session_id).first()
    if checkout is not None:
        reference = (session.get("metadata") or {}).get("order_number") if isinstance(
            session.get("metadata"), dict) else None
        if reference and reference != checkout.order.number:
            logger.warning("Stripe session %s says order %s, we stored %s", session_id, reference,
                           checkout.order.number)
        intent = _id(session.get("payment_intent"))
        if intent and intent != checkout.payment_intent:
            checkout.payment_intent = intent[:255]
            checkout.save(update_fields=["payment_intent", "updated_at"])
    return checkout


def session_completed(session: dict):
    checkout = _checkout_for(session)
    if checkout is None:
        return None, "unknown session"
    if session.get("payment_status") == "paid":
        return _paid(checkout, session)
    # Bank debits and vouchers confirm later: async_payment_succeeded or _failed follows.
    if checkout.status in (StripeCheckout.CREATING, StripeCheckout.OPEN):
        _set_status(checkout, StripeCheckout.PROCESSING)
        _note(checkout.order, _("Card payment submitted on Stripe; waiting for the bank to confirm it."))
    return checkout.order, "waiting for payment"


def async_payment_succeeded(session: dict):
    checkout = _checkout_for(session)
    if checkout is None:
        return None, "unknown session"
    return _paid(checkout, session)


def async_payment_failed(session: dict):
    checkout = _checkout_for(session)
    if checkout is None:
        return None, "unknown session"
    if checkout.status in (StripeCheckout.PAID, StripeCheckout.MISMATCH):
        return checkout.order, "already settled"
    _set_status(checkout, StripeCheckout.FAILED)
    _note(checkout.order, _("Stripe: the payment failed. The order stays unpaid until the shopper pays again "
                            "or its payment time runs out."), OrderNote.WARNING)
    return checkout.order, "payment failed"


def session_expired(session: dict):
    checkout = _checkout_for(session)
    if checkout is None:
        return None, "unknown session"
    if checkout.status in (StripeCheckout.CREATING, StripeCheckout.OPEN):
        _set_status(checkout, StripeCheckout.EXPIRED)
    order = Order.objects.select_for_update(no_key=True).get(pk=checkout.order_id)
    if order.status != statuses.PENDING_PAYMENT:
        return order, f"expired, order {order.status}"
    if _newer_attempt_alive(checkout):
        return order, "expired, a newer session is open"
    if services.is_paid(order):
        return order, "expired, order paid"
    services.cancel_order(order=order, reason=_("Card payment not completed: the Stripe session expired. "
                                                "Order cancelled and its stock released."))
    return order, "cancelled"


def _newer_attempt_alive(checkout: StripeCheckout) -> bool:
    others = StripeCheckout.objects.filter(order_id=checkout.order_id).exclude(pk=checkout.pk)
    now = timezone.now()
    return (others.filter(status=StripeCheckout.PROCESSING).exists()
            or others.filter(status__in=(StripeCheckout.CREATING, StripeCheckout.OPEN), expires_at__gt=now).exists())


def _paid(checkout: StripeCheckout, session: dict):
    """Mark the order paid, only when Stripe collected exactly the order's total in VND."""
    order = checkout.order
    amount, currency = session.get("amount_total"), session.get("currency")
    expected = to_dong(order.total_incl_tax)
    if not (_whole(amount) and amount == expected and isinstance(currency, str) and currency.lower() == CURRENCY):
        _set_status(checkout, StripeCheckout.MISMATCH)
        _note(order, _("Stripe amount does not match the order: Stripe collected %(amount)s %(currency)s for "
                       "session %(session)s, the order total is %(expected)s VND. The order is NOT marked paid: "
                       "check the payment in Stripe and refund or settle it by hand.")
              % {"amount": amount, "currency": str(currency).upper(), "session": checkout.session_id,
                 "expected": expected}, OrderNote.WARNING)
        return order, "amount mismatch"
    reference = _id(session.get("payment_intent")) or checkout.session_id
    new = services.record_payment(order=order, amount=Decimal(amount), reference=reference, source_type=SOURCE_TYPE,
                                  note=_("Paid by card through Stripe (reference %(reference)s).")
                                  % {"reference": reference})
    _set_status(checkout, StripeCheckout.PAID)
    order.refresh_from_db()
    if new and order.status == statuses.CANCELLED:
        _note(order, _("A card payment arrived after the order was cancelled: refund it in Stripe or "
                       "reinstate the order."), OrderNote.WARNING)
    return order, "paid" if new else "already paid"


# ---------------------------------------------------------------------------- refunds
def charge_refunded(charge: dict):
    intent = _id(charge.get("payment_intent"))
    checkout = (StripeCheckout.objects.filter(payment_intent=intent).select_related("order").first()
                if intent else None)
    if checkout is None:
        return None, "unknown charge"
    order = Order.objects.select_for_update(no_key=True).get(pk=checkout.order_id)
    refunded, currency = charge.get("amount_refunded"), charge.get("currency")
    if not (_whole(refunded) and isinstance(currency, str) and currency.lower() == CURRENCY):
        _note(order, _("Stripe reported a refund this shop cannot read (%(amount)s %(currency)s): check it in "
                       "Stripe.") % {"amount": refunded, "currency": str(currency).upper()}, OrderNote.WARNING)
        return order, "refund not understood"
    source = Source.objects.filter(order=order, source_type__name=SOURCE_TYPE).first()
    already = to_dong(source.amount_refunded) if source else 0
    if refunded <= already:
        return order, "refund already recorded"
    # Stripe sends the charge's refunded total so far; what is new is the difference.
    reference = f"{charge.get('id') or intent}:{refunded}"[:255]
    record_refund(order=order, amount=Decimal(refunded - already), reference=reference, source_type=SOURCE_TYPE,
                  note=_("Refunded by card through Stripe: %(amount)s VND (reference %(reference)s).")
                  % {"amount": refunded - already, "reference": reference})
    if services.amount_paid(order) <= 0 and order.status == statuses.PROCESSING:
        services.cancel_order(order=order, reason=_("Refunded in full before shipping: order cancelled and its "
                                                    "stock released."))
        return order, "refunded, cancelled"
    if order.status in (statuses.SHIPPED, statuses.DELIVERED):
        _note(order, _("Refund recorded for an order already shipped: arrange the return with the shopper."),
              OrderNote.WARNING)
    return order, "refunded"


HANDLERS = {
    "checkout.session.completed": session_completed,
    "checkout.session.async_payment_succeeded": async_payment_succeeded,
    "checkout.session.async_payment_failed": async_payment_failed,
    "checkout.session.expired": session_expired,
    "charge.refunded": charge_refunded,
}


# ---------------------------------------------------------------------------- small helpers
def _set_status(checkout: StripeCheckout, status: str):
    checkout.status = status
    checkout.save(update_fields=["status", "updated_at"])


def _note(order, message: str, note_type=None):
    OrderNote.objects.create(order=order, note_type=note_type or OrderNote.SYSTEM, message=message)


def _text(value) -> bool:
    return isinstance(value, str) and bool(value)


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _id(value) -> str:
    """A Stripe reference that may come as an id or as the expanded object."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if _text(value) else ""

"""Money given back to the shopper, recorded the way Oscar records money (sources and events).

Beside shop/order/services.py's record_payment, and idempotent the same way: one refund per
(order, reference), so a replayed notification records nothing twice. refund_order gives the money
back the way it came (Stripe's refund API for a card) and records it.
"""
from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from shop.order.services import REFUNDED_EVENT

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
Source = get_model("payment", "Source")
logger = logging.getLogger(__name__)


@transaction.atomic
def record_refund(*, order, amount: Decimal, reference: str, source_type: str, note: str = "") -> bool:
    """Record `amount` refunded from the order's `source_type` source. Returns False when this
    reference was already recorded or nothing was paid that way, True when the refund is new."""
    order = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
    source = Source.objects.filter(order=order, source_type__name=source_type).first()
    if source is None or amount <= 0:
        return False
    event_type, _ = PaymentEventType.objects.get_or_create(name=REFUNDED_EVENT)
    if PaymentEvent.objects.filter(order=order, event_type=event_type, reference=reference).exists():
        return False
    source.refund(amount, reference=reference)
    event = PaymentEvent.objects.create(order=order, amount=amount, reference=reference, event_type=event_type)
    if source.amount_refunded >= source.amount_debited:  # the whole payment is back: it covered every line
        for line in order.lines.all():
            event.line_quantities.create(line=line, quantity=line.quantity)
    if note:
        OrderNote.objects.create(order=order, note_type=OrderNote.SYSTEM, message=note)
    return True


class RefundError(Exception):
    """Money could not be given back (more than was paid, Stripe refused or did not answer, a
    reference missing). `message` is for the person who asked; nothing was recorded."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refundable(order) -> dict[str, Decimal]:
    """What can still go back, by Oscar payment source type: debited minus refunded, where positive."""
    left = {source.source_type.name: source.amount_debited - source.amount_refunded
            for source in order.sources.select_related("source_type")}
    return {name: amount for name, amount in left.items() if amount > 0}


def refund_order(*, order, amount: Decimal, key: str, reference: str = "", note: str = "") -> str:
    """Give `amount` of the order's money back the way it came, and record it (record_refund).

    A card payment goes back through Stripe's refund API, with `key` as the idempotency key: a retry
    after a lost answer refunds once. A bank transfer or COD cash is given back by a person, who says
    how in `reference` (the transfer's reference, a receipt number). Returns the reference recorded.
    Raises RefundError, with nothing recorded, when the order holds less than `amount` or Stripe
    refuses. Call inside the transaction that locks the order, so Stripe's charge.refunded webhook
    (which locks it too) finds this refund recorded and adds nothing."""
    from . import stripe_checkout

    left = refundable(order)
    if amount <= 0:
        raise RefundError(gettext("A refund must be more than 0 ₫."))
    total_left = sum(left.values(), Decimal(0))
    if not left or amount > max(left.values()):
        raise RefundError(gettext("Only %(left)s was paid for this order and not yet refunded: a refund cannot be "
                                  "larger.") % {"left": currency(total_left, order.currency)})
    by_card = stripe_checkout.SOURCE_TYPE in left and amount <= left[stripe_checkout.SOURCE_TYPE]
    if by_card:
        reference = _stripe_refund(order=order, amount=amount, key=key)
        source_type = stripe_checkout.SOURCE_TYPE
    else:
        reference = (reference or "").strip()
        if not reference:
            raise RefundError(gettext("Give the reference of the money sent back (bank transfer or receipt)."))
        source_type = next(name for name, value in sorted(left.items(), key=lambda kv: -kv[1]) if value >= amount)
    if not record_refund(order=order, amount=amount, reference=reference[:128], source_type=source_type, note=note):
        raise RefundError(gettext("Refund %(reference)s was already recorded for this order.")
                          % {"reference": reference})
    return reference[:128]


def _stripe_refund(*, order, amount: Decimal, key: str) -> str:
    import stripe

    from . import stripe_checkout
    from .stripe_models import StripeCheckout

    checkout = (order.stripe_checkouts.filter(status=StripeCheckout.PAID).exclude(payment_intent="")
                .order_by("-attempt").first())
    if checkout is None or not settings.STRIPE_SECRET_KEY:
        raise RefundError(gettext("No card payment of this order can be refunded through Stripe here: refund it "
                                  "in Stripe's dashboard."))
    params = {"payment_intent": checkout.payment_intent, "amount": stripe_checkout.to_dong(amount),
              "reason": "requested_by_customer", "metadata": {"order_number": str(order.number)}}
    try:
        refund = stripe_checkout._client().v1.refunds.create(params, options={"idempotency_key": key})
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as error:
        logger.warning("Stripe unavailable for the refund of order %s: %s", order.number, error)
        raise RefundError(gettext("Stripe did not answer: nothing was refunded. Please try again in a moment.")) \
            from error
    except stripe.StripeError as error:
        logger.error("Stripe refused the refund of order %s: %s", order.number, error)
        raise RefundError(gettext("Stripe refused the refund: %(message)s")
                          % {"message": getattr(error, "user_message", None) or str(error)}) from error
    if refund.status in ("failed", "canceled"):
        raise RefundError(gettext("Stripe could not refund this card (%(status)s).") % {"status": refund.status})
    return refund.id

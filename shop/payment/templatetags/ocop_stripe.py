"""What the shopper is told about a card payment: `{% stripe_checkout order as card %}`."""
from dataclasses import dataclass

from django import template

from shop.order import statuses
from shop.payment.stripe_models import StripeCheckout

register = template.Library()


@dataclass(frozen=True)
class CardPayment:
    checkout: StripeCheckout
    confirming: bool  # the shopper has paid (or says so): wait for Stripe's word
    can_pay: bool  # unpaid, nothing under way: offer "Pay by card"
    paid: bool


@register.simple_tag(takes_context=True)
def stripe_checkout(context, order):
    """The order's latest card payment attempt, or None when it was not paid by card (one query)."""
    if not getattr(order, "pk", None):
        return None
    checkout = StripeCheckout.objects.filter(order_id=order.pk).order_by("-attempt").first()
    if checkout is None:
        return None
    request = context.get("request")
    back_from_stripe = bool(request and checkout.session_id and request.GET.get("session_id") == checkout.session_id)
    waiting = order.status == statuses.PENDING_PAYMENT
    confirming = waiting and (checkout.status == StripeCheckout.PROCESSING
                              or (back_from_stripe and checkout.status == StripeCheckout.OPEN))
    return CardPayment(
        checkout=checkout, confirming=confirming,
        can_pay=waiting and not confirming and checkout.status != StripeCheckout.MISMATCH,
        paid=checkout.status == StripeCheckout.PAID)

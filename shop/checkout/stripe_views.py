"""Card payment pages: Stripe's webhook, and "pay by card again" for an order still unpaid."""
import logging

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from core import ratelimits
from shop.payment import stripe_checkout, stripe_webhook

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")


@csrf_exempt  # Stripe cannot send our CSRF token: the signature is the proof
@require_POST
@ratelimits.limit("stripe-webhook", "RATELIMIT_WEBHOOK")  # before the signature is checked: forged floods are cheap
@transaction.non_atomic_requests  # one transaction per event, in process_event
def webhook(request):
    try:
        event = stripe_webhook.verify(payload=request.body, signature=request.headers.get("Stripe-Signature"))
    except stripe_webhook.BadEvent as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest(str(error), content_type="text/plain")
    record = stripe_webhook.process_event(event)
    return JsonResponse({"received": True, "handled": record.handled})


@require_POST
@transaction.non_atomic_requests  # Stripe is called outside any transaction: no lock is held while it answers
def retry(request, order_number):
    """Open (or reopen) the card payment of an unpaid order: only for whoever placed it."""
    order = Order.objects.filter(number=order_number).first()
    if order is None or not may_pay(request, order):
        raise Http404
    try:
        checkout = stripe_checkout.open_session(order=order, request=request)
    except stripe_checkout.CardPaymentError as error:
        messages.error(request, error.message)
        return redirect(back_url(request, order))
    request.session["checkout_order_id"] = order.pk  # Stripe's success_url is the thank-you page
    return redirect(checkout.url)


def may_pay(request, order) -> bool:
    """The order's signed-in owner, the browser that placed it, or a holder of its tracking link."""
    if order.user_id:
        return request.user.is_authenticated and request.user.pk == order.user_id
    if request.session.get("checkout_order_id") == order.pk:
        return True
    token = request.POST.get("hash", "")
    return bool(token) and order.check_verification_hash(token)


def back_url(request, order) -> str:
    if request.session.get("checkout_order_id") == order.pk:
        return reverse("checkout:thank-you")
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    try:
        from shop.order.tracking import tracking_url
    except ImportError:
        return reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})
    return tracking_url(order, request)

"""Checkout payment step: cash on delivery, bank transfer by VietQR, or card (Stripe).

Oscar's flow stays: payment method -> preview -> place order -> thank you. The chosen method
lives in Oscar's checkout session (pay_by), decides the order's first status, and is kept on the
order (shop.payment.models.OrderPayment).
"""
import logging
from functools import cached_property

from django import http
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from oscar.apps.checkout import exceptions
from oscar.apps.checkout import views as oscar_views

from core.site_links import site_root
from notifications import events
from notifications.services import queue_customer_message
from privacy.consent import record_checkout_consent
from shop.checkout.basket_guard import FIELD as BASKET_FINGERPRINT
from shop.checkout.basket_guard import basket_fingerprint, previewed_basket_is_current
from shop.checkout.payment_forms import PaymentMethodForm
from shop.checkout.replays import order_already_placed
from shop.checkout.session import read_basket_lines
from shop.order import statuses
from shop.order.services import cancel_order
from shop.payment import methods
from shop.payment.services import record_payment_choice
from shop.shipping.methods import showroom_id_from_code

__all__ = ["PaymentMethodView", "PaymentDetailsView"]


def pickup_showroom_of(checkout_session):
    """The showroom the shopper chose to collect at (None: delivery)."""
    from showrooms.models import Showroom

    showroom_id = showroom_id_from_code(checkout_session._get("shipping", "method_code"))
    return Showroom.objects.filter(pk=showroom_id).first() if showroom_id else None


def is_pickup(checkout_session) -> bool:
    return showroom_id_from_code(checkout_session._get("shipping", "method_code")) is not None

logger = logging.getLogger("shop.checkout")


class PaymentMethodView(oscar_views.PaymentMethodView):
    """Screen 2 of 3: how to ship (standard or express, priced for the address of screen 1) and how
    to pay, on one screen. A pick-up has its showroom already and chooses only how to pay. The
    shipping method is Oscar's (checkout_session.use_shipping_method), the prices the repository's
    (shop/shipping/methods.py), as on every other page."""

    template_name = "oscar/checkout/payment_method.html"
    success_url = "checkout:preview"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(data=request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if form.cleaned_data.get("shipping_method"):
            self.checkout_session.use_shipping_method(form.cleaned_data["shipping_method"])
        self.checkout_session.pay_by(form.cleaned_data["method"])
        # The session helper has no public setter for extra payment data; same namespace as pay_by.
        self.checkout_session._set("payment", "cod_inspection", form.cleaned_data.get("cod_inspection", False))
        return self.get_success_response()

    @cached_property
    def _delivery_methods(self) -> list:
        """Door delivery methods for the address of screen 1 (none for a pick-up)."""
        if is_pickup(self.checkout_session) or not self.request.basket.is_shipping_required():
            return []
        address = self.get_shipping_address(self.request.basket)
        return [m for m in self.listed_shipping_methods(self.request.basket, address)
                if not getattr(m, "is_pickup", False)]

    def get_form(self, data=None):
        chosen = self.checkout_session.payment_method()
        pickup = is_pickup(self.checkout_session)
        initial = {"shipping_method": self.checkout_session.shipping_method_code(self.request.basket)}
        if chosen in methods.available_methods(pickup=pickup):
            initial.update({"method": chosen,
                            "cod_inspection": self.checkout_session._get("payment", "cod_inspection", True)})
        return PaymentMethodForm(data=data, initial=initial, pickup=pickup, shipping_methods=self._delivery_methods)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["pickup_showroom"] = pickup_showroom_of(self.checkout_session)
        ctx["delivery_methods"] = self._delivery_methods
        return ctx

    def get_success_url(self):
        return reverse(self.success_url)


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    """Preview and place order, in the status the chosen method calls for."""

    def dispatch(self, request, *args, **kwargs):
        read_basket_lines(request)
        if request.method == "POST" and request.POST.get("action") == "place_order":
            placed = order_already_placed(request)
            if placed is not None:  # the first press made the order; its answer never arrived
                request.session["checkout_order_id"] = placed.pk
                return redirect("checkout:thank-you")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.preview:
            # Nothing to enter: the method page is the payment step (the nav's "Payment" link lands here).
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def check_payment_data_is_captured(self, request):
        try:
            self.skip_unless_payment_is_required(request)
        except exceptions.PassedSkipCondition:
            return  # nothing to pay (e.g. a full voucher): Oscar skips the method page, so must we
        if self.checkout_session.payment_method() not in methods.available_methods(
                pickup=is_pickup(self.checkout_session)):
            raise exceptions.FailedPreCondition(url=reverse("checkout:payment-method"),
                                                message=_("Please choose how you would like to pay."))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        code = self.checkout_session.payment_method()
        ctx["payment_method_code"] = code
        ctx["payment_method_label"] = methods.LABELS.get(code, "")
        ctx["cod_inspection"] = bool(self.checkout_session._get("payment", "cod_inspection", False))
        ctx["pickup_showroom"] = pickup_showroom_of(self.checkout_session)
        ctx["pickup_counter_payment"] = code == methods.COUNTER
        ctx[BASKET_FINGERPRINT] = basket_fingerprint(self.request.basket)
        return ctx

    def handle_place_order_submission(self, request):
        if not previewed_basket_is_current(request.POST.get(BASKET_FINGERPRINT), request.basket):
            messages.warning(request, _("Your basket has changed (perhaps in another tab) since this page was "
                                        "shown. Please check your order again before placing it."))
            return redirect("checkout:preview")
        return super().handle_place_order_submission(request)

    def get_initial_order_status(self, basket):
        return methods.INITIAL_STATUS.get(self.checkout_session.payment_method())  # None: Oscar's initial

    def place_order(self, *args, **kwargs):
        method = self.checkout_session.payment_method()
        total = kwargs.get("order_total")
        if total is not None and total.incl_tax <= 0:
            # Nothing to pay (a full voucher): a method chosen earlier must not leave it awaiting money.
            method, kwargs["status"] = None, statuses.PROCESSING
        order = super().place_order(*args, **kwargs)
        record_checkout_consent(order=order)  # the statement beside "Place order" (preview.html)
        if method in methods.LABELS:
            record_payment_choice(order=order, method=method, fresh=True,
                                  cod_inspection=bool(self.checkout_session._get("payment", "cod_inspection", False)))
        return order

    def send_order_placed_email(self, order):
        """The confirmation (e-mail, and Zalo/SMS as the shopper hears) is an outbox row written in the
        order's transaction: a worker dying after the commit cannot lose it, beat re-sends it."""
        queue_customer_message(order=order, event=events.ORDER_PLACED, language=get_language() or "vi",
                               context={"site_root": site_root(self.request)}, fresh=True)

    def handle_successful_order(self, order):
        method = self.checkout_session.payment_method()
        response = super().handle_successful_order(order)
        if method != methods.CARD:
            return response
        return self.start_card_payment(order) or response

    def start_card_payment(self, order):
        """Hand the placed order to Stripe Checkout; if Stripe cannot be reached, cancel it and give the
        basket back so the shopper can pay another way."""
        from shop.payment.stripe_checkout import start_session  # the stripe part may land after this one

        try:
            with transaction.atomic():
                url = start_session(order=order, request=self.request)
        except Exception:
            logger.exception("Order #%s: could not start the card payment", order.number)
            cancel_order(order=order, reason="Card payment could not be started")
            order.basket.thaw()
            messages.error(self.request, _("The card payment could not be started, so order %(number)s was "
                                           "cancelled and your basket is back. Please try again or choose "
                                           "another payment method.") % {"number": order.number})
            return redirect("basket:summary")
        return http.HttpResponseRedirect(url)

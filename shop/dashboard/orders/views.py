"""Oscar's order dashboard views; the order page also records a bank transfer or a COD delivery.

Only OCOP office staff record money. Producer users (partner dashboard access) are sent to their
own pages in the producer portal: Oscar's order pages show every line and the whole total of an
order, other producers' included. Both actions go through shop.order.services.record_payment,
idempotent per reference, so a double-submitted form records the money once.
"""
from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.apps.dashboard.orders.views import *  # noqa: F403  (every other view as Oscar has it)
from oscar.core.loading import get_class
from oscar.templatetags.currency_filters import currency

from core.ids import SelectsOnlyRowIds
from shop.order import services, statuses
from shop.partner.scoping import is_producer_user, own_order_or_404, producer_of
from shop.payment import methods
from shop.payment.models import OrderPayment

TransferReceivedForm = get_class("dashboard.orders.forms", "TransferReceivedForm")
CodCollectedForm = get_class("dashboard.orders.forms", "CodCollectedForm")


def payment_method_of(order):
    try:
        return order.payment_choice.method
    except OrderPayment.DoesNotExist:
        return None


def can_record_transfer(user, order) -> bool:
    return user.is_staff and payment_method_of(order) == methods.VIETQR and order.status == statuses.AWAITING_TRANSFER


def can_record_cod(user, order) -> bool:
    return (user.is_staff and payment_method_of(order) == methods.COD
            and order.status in (statuses.PROCESSING, statuses.SHIPPED))


class ProducersUsePortal:
    """A producer user asking for one of Oscar's order pages gets the portal's page of the same
    order (404 when the order has none of their lines)."""

    def dispatch(self, request, *args, **kwargs):
        if not is_producer_user(request.user):
            return super().dispatch(request, *args, **kwargs)
        if "number" not in kwargs:
            return redirect(self.portal_url_name)
        partner = producer_of(request.user)
        order = own_order_or_404(partner, kwargs["number"])
        if "line_id" in kwargs and not order.lines.filter(pk=kwargs["line_id"], partner=partner).exists():
            raise Http404("not your line")
        return redirect("dashboard:producer-order", number=order.number)


class OrderListView(ProducersUsePortal, SelectsOnlyRowIds, oscar_views.OrderListView):
    portal_url_name = "dashboard:producer-orders"


class OrderStatsView(ProducersUsePortal, oscar_views.OrderStatsView):
    portal_url_name = "dashboard:producer-home"


class LineDetailView(ProducersUsePortal, oscar_views.LineDetailView):
    pass


class ShippingAddressUpdateView(ProducersUsePortal, oscar_views.ShippingAddressUpdateView):
    pass


class OrderDetailView(ProducersUsePortal, oscar_views.OrderDetailView):
    order_actions = (*oscar_views.OrderDetailView.order_actions, "record_transfer", "record_cod_collected")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        if can_record_transfer(user, order):
            ctx["transfer_form"] = TransferReceivedForm(
                initial={"amount": int(order.total_incl_tax - services.amount_paid(order))})
        if can_record_cod(user, order):
            ctx["cod_form"] = CodCollectedForm(initial={"amount": int(order.total_incl_tax)})
        return ctx

    def record_transfer(self, request, order):
        if not (request.user.is_staff and payment_method_of(order) == methods.VIETQR):
            return self.reload_page(error=_("This order is not paid by bank transfer, or you may not record "
                                            "payments."))
        form = TransferReceivedForm(request.POST)
        if not form.is_valid():
            return self.reload_page(error=_("Please give the amount received and the bank reference."))
        amount, reference = Decimal(form.cleaned_data["amount"]), form.cleaned_data["reference"]
        if order.status != statuses.AWAITING_TRANSFER:
            if order.payment_events.filter(reference=reference).exists():  # the form sent twice
                messages.warning(request, _("Transfer %(reference)s was already recorded for this order: nothing "
                                            "changed.") % {"reference": reference})
                return self.reload_page()
            return self.reload_page(error=_("This order is not awaiting a transfer any more."))
        recorded = services.record_payment(order=order, amount=amount, reference=reference, source_type="VietQR",
                                           note=f"Transfer received by {request.user.email}: {reference}")
        if not recorded:
            messages.warning(request, _("Transfer %(reference)s was already recorded for this order: nothing "
                                        "changed.") % {"reference": reference})
            return self.reload_page()
        order.refresh_from_db()
        if order.status == statuses.PROCESSING:
            messages.success(request, _("Transfer of %(amount)s recorded: the order is paid and now processing.")
                             % {"amount": currency(amount, order.currency)})
        else:
            owed = order.total_incl_tax - services.amount_paid(order)
            messages.warning(request, _("Transfer of %(amount)s recorded, but %(owed)s is still owed: the order "
                                        "keeps waiting for the rest.") % {"amount": currency(amount, order.currency),
                                                                          "owed": currency(owed, order.currency)})
        return self.reload_page()

    def record_cod_collected(self, request, order):
        if not can_record_cod(request.user, order):
            return self.reload_page(error=_("This is not a cash-on-delivery order on its way, or you may not "
                                            "record payments."))
        form = CodCollectedForm(request.POST)
        if not form.is_valid():
            return self.reload_page(error=_("Please give the amount of cash collected."))
        amount = Decimal(form.cleaned_data["amount"])
        with transaction.atomic():
            # One COD collection per order: the order number is the reference, so a resubmit is a no-op.
            services.record_payment(order=order, amount=amount, reference=f"COD-{order.number}", source_type="COD",
                                    note=f"Cash collected on delivery, recorded by {request.user.email}")
            order.refresh_from_db()
            order.set_status(statuses.DELIVERED)
        messages.success(request, _("Cash of %(amount)s recorded and the order marked delivered.")
                         % {"amount": currency(amount, order.currency)})
        return self.reload_page()

"""Guest order tracking pages: /orders/track/ (number + e-mail or phone) and the signed link."""
from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from core.client_ip import client_ip

from . import tracking


class TrackOrderForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=128)
    contact = forms.CharField(label=_("E-mail or phone number"), max_length=254,
                              help_text=_("The one you gave when you ordered."))


NOT_FOUND = _("We found no order with this number and this e-mail or phone number. Check both and try again.")
TOO_MANY = _("Too many attempts. Please wait 10 minutes and try again, or call the shop.")


def _order_page(request, order):
    payment_methods = [source.source_type.name for source in order.sources.select_related("source_type")]
    lines = order.lines.select_related("product", "product__gi", "product__producer").prefetch_related("attributes")
    return render(request, "ocop/order_tracking/detail.html", {
        "order": order, "lines": lines, "payment_methods": payment_methods})


@never_cache
def track_order(request):
    ip = client_ip(request)
    form = TrackOrderForm(request.POST or None)
    error, status = None, 200
    if request.method == "POST":
        if tracking.too_many_failures(ip):
            error, status = TOO_MANY, 429
        elif form.is_valid():
            order = tracking.find_order(number=form.cleaned_data["number"], contact=form.cleaned_data["contact"])
            if order is not None:
                return _order_page(request, order)
            tracking.count_failure(ip)
            error = NOT_FOUND
    return render(request, "ocop/order_tracking/form.html", {"form": form, "error": error}, status=status)


@never_cache
def signed_order(request, number, token):
    order = tracking.order_for_token(number, token)
    if order is None:
        raise Http404(_("No such order"))
    return _order_page(request, order)

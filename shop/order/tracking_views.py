"""Guest order tracking pages: /orders/track/ (number + e-mail or phone) and the signed link."""
from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from . import tracking


class TrackOrderForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=128)
    contact = forms.CharField(label=_("E-mail or phone number"), max_length=254,
                              help_text=_("The one you gave when you ordered."))


NOT_FOUND = _("We found no order with this number and this e-mail or phone number. Check both and try again.")
TOO_MANY = _("Too many attempts. Please wait 10 minutes and try again, or call the shop.")


def _client_ip(request) -> str:
    """Who is asking, for the failure counter. Behind TRUSTED_PROXIES proxies, each appends to
    X-Forwarded-For the address it saw, so the client is that many entries from the right (the
    entries further left are whatever the client chose to send)."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _order_page(request, order):
    payment_methods = [source.source_type.name for source in order.sources.select_related("source_type")]
    lines = order.lines.select_related("product", "product__gi", "product__producer").prefetch_related("attributes")
    return render(request, "ocop/order_tracking/detail.html", {
        "order": order, "lines": lines, "payment_methods": payment_methods})


@never_cache
def track_order(request):
    ip = _client_ip(request)
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

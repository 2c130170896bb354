"""The bank webhook, the shopper's "has my transfer arrived?" answer, and the office's list of
transfers to resolve by hand. Rules are in services.py; these only read input and answer."""
from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from oscar.core.loading import get_model

from core import ratelimits

from . import sepay, services
from .models import BankTransfer

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")


@csrf_exempt  # the bank service cannot send our CSRF token: its key or signature is the proof
@require_POST
@ratelimits.limit("bank-webhook", "RATELIMIT_WEBHOOK")  # counted before the key: forged floods are cheap
@transaction.non_atomic_requests  # one transaction per transfer, in services.receive
def sepay_webhook(request):
    try:
        sepay.authenticate(body=request.body, headers=request.headers)
    except sepay.NotAuthentic as error:
        logger.warning("bank webhook refused: %s", error)
        return JsonResponse({"success": False, "message": "unauthorized"}, status=401)
    try:
        incoming = sepay.parse(request.body)
    except sepay.Unreadable as error:
        # Authentic yet unreadable: answering 400 shows in SePay's delivery log; there is no
        # transaction to record (no JSON object), so there is nothing to list for the office.
        logger.error("bank webhook unreadable: %s", error)
        return JsonResponse({"success": False, "message": str(error)}, status=400)
    transfer, new = services.receive(incoming, provider=sepay.PROVIDER)
    if transfer.status == BankTransfer.UNMATCHED and new:
        logger.warning("bank transfer %s not matched: %s", transfer.transaction_id, transfer.reason)
    return JsonResponse({"success": True, "status": transfer.status, "replay": not new})


@require_GET
@ratelimits.limit("transfer-status", "RATELIMIT_SUGGEST")  # a page polls it every few seconds
def order_status(request, number):
    """{"paid": …} for whoever holds the order's verification hash (its pages carry it)."""
    order = Order.objects.filter(number=number[:128]).first()
    token = request.GET.get("h", "")
    if order is None or not token or not order.check_verification_hash(token):
        raise Http404
    paid = services.order_paid(order)
    response = JsonResponse({"paid": paid, "status": order.status,
                             "message": _("Payment received") if paid else _("Awaiting transfer")})
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------- the office
@staff_member_required
def unmatched(request):
    show = request.GET.get("show", "")
    qs = BankTransfer.objects.select_related("order", "resolved_by")
    if show != "all":
        qs = qs.filter(status=BankTransfer.UNMATCHED)
    return render(request, "banking/unmatched.html", {
        "transfers": qs[:200], "show": show,
        "open_count": BankTransfer.objects.filter(status=BankTransfer.UNMATCHED).count(),
    })


@staff_member_required
@require_POST
def resolve(request, pk):
    transfer = get_object_or_404(BankTransfer, pk=pk)
    note = request.POST.get("note", "").strip()[:1000]
    number = request.POST.get("order_number", "").strip()[:128]
    if not note:
        messages.error(request, _("Say how the transfer was resolved."))
        return redirect("banking-office:unmatched")
    try:
        if number:
            order = Order.objects.filter(number=number).first()
            if order is None:
                messages.error(request, _("There is no order %(number)s.") % {"number": number})
                return redirect("banking-office:unmatched")
            services.apply_to_order(transfer_id=transfer.pk, order=order, user=request.user, note=note)
            messages.success(request, _("Transfer recorded as a payment of order %(number)s.") % {"number": number})
        else:
            services.resolve(transfer_id=transfer.pk, user=request.user, note=note)
            messages.success(request, _("Transfer marked as resolved."))
    except ValueError as error:
        messages.error(request, str(error))
    return redirect("banking-office:unmatched")

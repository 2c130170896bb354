"""Unpaid online orders hold stock; past their payment deadline they are cancelled and the stock freed.

Card (PENDING_PAYMENT): CARD_PAYMENT_MINUTES, when the Stripe Checkout Session expires too, plus a
grace for a late webhook. VietQR (AWAITING_TRANSFER): VIETQR_PAYMENT_HOURS. Run every five minutes
by Celery beat (shop.order.tasks.expire_unpaid_orders); idempotent, one order per transaction.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from oscar.core.loading import get_model

from . import services, statuses

Order = get_model("order", "Order")
logger = logging.getLogger(__name__)

# A card payment completed just before the session expired may reach us a little later (webhook retries).
CARD_GRACE = dt.timedelta(minutes=10)


def deadlines(now: dt.datetime) -> dict[str, dt.datetime]:
    """Status -> orders placed before this moment are overdue."""
    return {
        statuses.PENDING_PAYMENT: now - dt.timedelta(minutes=settings.CARD_PAYMENT_MINUTES) - CARD_GRACE,
        statuses.AWAITING_TRANSFER: now - dt.timedelta(hours=settings.VIETQR_PAYMENT_HOURS),
    }


def overdue_unpaid_orders(*, now: dt.datetime | None = None):
    """Unpaid orders past their deadline that have received no money at all (a part-paid order is
    left to staff: cancelling would keep the shopper's money and the goods)."""
    overdue = Q()
    for status, placed_before in deadlines(now or timezone.now()).items():
        overdue |= Q(status=status, date_placed__lt=placed_before)
    return Order.objects.filter(overdue).exclude(sources__amount_debited__gt=0).order_by("pk")


def _reason(status: str) -> str:
    # The note is stored once and read by Vietnamese staff and shoppers: written in the site language.
    with translation.override(settings.LANGUAGE_CODE):
        if status == statuses.AWAITING_TRANSFER:
            hours = settings.VIETQR_PAYMENT_HOURS
            limit = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
        else:
            minutes = settings.CARD_PAYMENT_MINUTES
            limit = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        return gettext("Not paid within %(limit)s: cancelled automatically, its stock released.") % {"limit": limit}


def expire_unpaid_orders(*, now: dt.datetime | None = None) -> list[str]:
    """Cancel every overdue unpaid order; returns the numbers cancelled now (a second run: [])."""
    now = now or timezone.now()
    cancelled = []
    for order_id in list(overdue_unpaid_orders(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            # Re-read under the lock: a payment may have arrived since the list was taken.
            order = overdue_unpaid_orders(now=now).select_for_update(of=("self",), no_key=True).filter(pk=order_id).first()
            if order is None or services.is_paid(order):
                continue
            if services.cancel_order(order=order, reason=_reason(order.status)):
                cancelled.append(order.number)
    if cancelled:
        logger.info("Cancelled %d unpaid orders past their deadline: %s", len(cancelled), ", ".join(cancelled))
    return cancelled

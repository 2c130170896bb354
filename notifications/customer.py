"""E-mails to the shopper about an order after it was placed: payment received, order cancelled.

Sent through Oscar's communication framework (event types PAYMENT_RECEIVED and ORDER_CANCELLED,
templates templates/oscar/communication/emails/commtype_<code>_*, editable in the dashboard), by a
Celery task enqueued once the transaction commits: a rolled-back payment or cancel sends nothing.
Each e-mail goes once per order: Oscar's CommunicationEvent on the order records it.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from oscar.core.loading import get_class, get_model

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
CommunicationEventType = get_model("communication", "CommunicationEventType")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")
logger = logging.getLogger(__name__)

PAYMENT_RECEIVED = "PAYMENT_RECEIVED"
ORDER_CANCELLED = "ORDER_CANCELLED"
ORDER_SHIPPED = "ORDER_SHIPPED"  # every producer has shipped (producer_portal/fulfilment.py)
PICKUP_READY = "PICKUP_READY"  # the goods wait at the showroom (pickups/services.py)
PICKUP_REMINDER = "PICKUP_REMINDER"  # still not collected after PICKUP_REMINDER_DAYS
CODES = (PAYMENT_RECEIVED, ORDER_CANCELLED, ORDER_SHIPPED, PICKUP_READY, PICKUP_REMINDER)


def notify_on_commit(*, order, code: str) -> None:
    """Queue the `code` e-mail for `order` once the current transaction commits. Robust: a broker
    that is down must not undo the payment or the cancel."""
    order_id = order.pk

    def enqueue():
        from notifications.tasks import send_order_email

        send_order_email.delay(order_id, code)

    transaction.on_commit(enqueue, robust=True)


def _status_path(order) -> str:
    try:
        if order.user_id:
            return reverse("customer:order", kwargs={"order_number": order.number})
        return reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})
    except NoReverseMatch:
        return ""


def send_order_email(*, order_id: int, code: str) -> bool:
    """Send the `code` e-mail for the order, once: False when already sent or nobody to send it to."""
    if code not in CODES:
        raise ValueError(f"unknown order e-mail {code!r}")
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("user").filter(pk=order_id).first()
        if order is None or order.communication_events.filter(event_type__code=code).exists():
            return False
        if not (order.email if order.user_id else order.guest_email):
            return False
        event_type, _ = CommunicationEventType.objects.get_or_create(
            code=code, defaults={"name": code.replace("_", " ").capitalize(),
                                 "category": CommunicationEventType.ORDER_RELATED})
        notes = order.notes.filter(note_type=OrderNote.SYSTEM).order_by("-pk")  # cancel_order wrote the reason last
        note = notes.values_list("message", flat=True).first() if code == ORDER_CANCELLED else ""
        dispatcher = OrderDispatcher(logger=logger)
        context = {"order": order, "lines": order.lines.all(), "reason": note, "status_path": _status_path(order),
                   "shop_name": settings.OSCAR_SHOP_NAME,
                   "shipments": order.producer_shipments.select_related("partner") if code == ORDER_SHIPPED else ()}
        # Outside any request (a task): say which language the shopper reads.
        with translation.override(settings.LANGUAGE_CODE):
            messages = dispatcher.dispatcher.get_messages(code, context)
            dispatcher.dispatch_order_messages(order, messages, code)
        return order.communication_events.filter(event_type=event_type).exists()

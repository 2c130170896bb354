"""Messages to the shopper about their order: what each says, and its e-mail.

Queued by `notifications.services.queue_customer_message` inside the event's transaction (the order
placed, paid, cancelled, shipped…), one outbox row per channel the shopper hears by
(notifications/recipients.py), delivered by Celery after commit and re-sent by beat. The e-mail goes
through Oscar's communication framework (templates commtype_<code>_*, editable in the dashboard) and
is recorded as a CommunicationEvent on the order, as Oscar's own confirmation is.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from oscar.core.loading import get_class, get_model

from core.site_links import absolute

from . import events
from .channels.errors import PermanentError

logger = logging.getLogger(__name__)

# The order statuses live with the order app (shop.order.statuses); read through Oscar's loader so
# this lower layer does not import the fork.
CANCELLED = get_class("order.statuses", "CANCELLED")


def payload_for(order, *, context: dict | None = None) -> dict:
    """What every channel's message needs, frozen when the event happened."""
    address = getattr(order, "shipping_address", None)
    name = address.name if address is not None else ""
    return {"number": str(order.number), "name": name, "total": int(order.total_incl_tax),
            "currency": order.currency, **(context or {})}


def no_longer_needed(message) -> bool:
    """A confirmation of an order cancelled before it went out (a card payment that could not start:
    the shopper was told on the page)."""
    return message.event == events.ORDER_PLACED and message.order is not None and message.order.status == CANCELLED


def status_path(order) -> str:
    try:
        if order.user_id:
            return reverse("customer:order", kwargs={"order_number": order.number})
        return reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})
    except NoReverseMatch:
        return ""


def email_context(order, *, event: str, payload: dict) -> dict:
    """What the commtype_<event> templates expect, rebuilt from the order (no request in a worker)."""
    Site = get_model("sites", "Site")
    site = Site.objects.get_current()
    path = status_path(order)
    root = payload.get("site_root")  # where the shopper was when the event happened (core.site_links)
    ctx = {"user": order.user, "order": order, "lines": order.lines.all(), "site": site,
           "shop_name": settings.OSCAR_SHOP_NAME, "status_path": path, "payload": payload, "site_root": root,
           "status_url": absolute(path, root) if path else ""}
    if event == events.ORDER_CANCELLED:
        OrderNote = get_model("order", "OrderNote")  # cancel_order wrote the reason last
        ctx["reason"] = (order.notes.filter(note_type=OrderNote.SYSTEM).order_by("-pk")
                         .values_list("message", flat=True).first() or "")
    if event == events.ORDER_SHIPPED:
        ctx["shipments"] = order.producer_shipments.select_related("partner")
    if event in (events.ORDER_DELIVERED, events.ORDER_REFUSED):
        ctx.update(refused_lines=order.refused_lines(), amount_paid=order.paid_amount(),
                   return_days=return_window_days())
    if event in events.RETURN_EVENTS:
        LineReturn = get_model("order", "LineReturn")
        line_return = LineReturn.objects.select_related("line").filter(pk=payload.get("return_id")).first()
        ctx.update(line_return=line_return, line=line_return.line if line_return else None)
    return ctx


def return_window_days() -> int:
    return int(getattr(settings, "RETURN_WINDOW_DAYS", 7))


def queue_return_message(*, line_return, event: str) -> None:
    """Tell the shopper about one return of a line (asked, accepted, refused): an outbox row in the
    return's transaction, once per return and event."""
    from .services import queue_customer_message

    if event not in events.RETURN_EVENTS:
        raise ValueError(f"unknown return event {event!r}")
    queue_customer_message(order=line_return.order, event=event, occurrence=f"return-{line_return.pk}",
                           context={"return_id": line_return.pk})


def send_email(message) -> str:
    """Send the message's e-mail to the shopper; returns the address. Raises if sending fails."""
    OrderDispatcher = get_class("order.utils", "OrderDispatcher")
    CommunicationEventType = get_model("communication", "CommunicationEventType")
    order = message.order
    with translation.override(settings.LANGUAGE_CODE):
        name = str(events.NAMES.get(message.event, message.event.replace("_", " ").capitalize()))
    CommunicationEventType.objects.get_or_create(
        code=message.event, defaults={"name": name, "category": CommunicationEventType.ORDER_RELATED})
    dispatcher = OrderDispatcher(logger=logger)
    context = email_context(order, event=message.event, payload=message.payload)
    # Outside any request (a task): the language the shopper used when the event happened.
    with translation.override(message.language or settings.LANGUAGE_CODE):
        mails = dispatcher.dispatcher.get_messages(message.event, context)
        if not mails["subject"].strip():
            raise PermanentError(f"no e-mail template for {message.event} (commtype_{message.event.lower()}_*)")
        dispatcher.dispatch_order_messages(order, mails, message.event)
    return message.recipient

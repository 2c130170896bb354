"""What each kind of notification says, and to whom: e-mail through Oscar's communication framework
(event types PRODUCER_NEW_ORDER and PRODUCER_LOW_STOCK, templates under
templates/oscar/communication/emails/, editable in the dashboard). Certificate reminders keep their
own e-mail in catalog_ext."""
from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_class

from .models import Kind

logger = logging.getLogger(__name__)

EVENT_CODES = {Kind.NEW_ORDER: "PRODUCER_NEW_ORDER", Kind.LOW_STOCK: "PRODUCER_LOW_STOCK"}


def recipients_of(partner) -> tuple[list, list[str]]:
    """The producer's active users with an e-mail, and its contact e-mail when no user has it."""
    from notifications.certificates import producer_recipients

    return producer_recipients(partner)


def _path(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def context_for(notification) -> dict:
    payload = dict(notification.payload)
    ctx = {"partner": notification.partner, "payload": payload, "shop_name": settings.OSCAR_SHOP_NAME}
    if notification.kind == Kind.NEW_ORDER:
        ctx["lines"] = [{**line, "total": Decimal(line["total"])} for line in payload.get("lines", [])]
        ctx["subtotal"] = Decimal(payload.get("subtotal", 0))
        ctx["currency"] = payload.get("currency", settings.OSCAR_DEFAULT_CURRENCY)
        ctx["number"] = payload.get("number", "")
        ctx["order_path"] = _path("dashboard:producer-order", number=ctx["number"])
    elif notification.kind == Kind.LOW_STOCK:
        ctx["portal_path"] = _path("dashboard:producer-stock")
    return ctx


def send(notification) -> list[str]:
    """Send the notification's e-mail; returns the addresses it went to. Raises if sending fails."""
    if notification.kind == Kind.CERT_EXPIRY:
        from notifications.certificates import deliver_reminder_now

        return deliver_reminder_now(reminder_id=notification.payload["reminder_id"])
    users, addresses = recipients_of(notification.partner)
    if not users and not addresses:
        return []  # the portal notice is all this producer gets
    Dispatcher = get_class("communication.utils", "Dispatcher")
    dispatcher = Dispatcher(logger=logger)
    # Producers read Vietnamese; the task runs outside any request, so say which language.
    with translation.override(settings.LANGUAGE_CODE):
        if notification.kind == Kind.SHELF_TRANSFER:
            messages = _shelf_transfer_messages(notification.payload, producer=notification.partner.name)
        else:
            messages = dispatcher.get_messages(EVENT_CODES[notification.kind], context_for(notification))
        for user in users:
            dispatcher.dispatch_user_messages(user, messages)
        for address in addresses:
            dispatcher.dispatch_direct_messages(address, messages)
    return [user.email for user in users] + addresses


def _shelf_transfer_messages(payload: dict, *, producer: str) -> dict:
    lines = "\n".join(f"- {line['title']}: {line['quantity']}" for line in payload.get("lines", []))
    subject = _("Goods received at %(showroom)s") % {"showroom": payload.get("showroom", "")}
    body = _("%(showroom)s recorded these units from %(producer)s on its shelf:\n%(lines)s\n\nReference: "
             "%(reference)s") % {"showroom": payload.get("showroom", ""), "producer": producer, "lines": lines,
                                 "reference": payload.get("reference") or "-"}
    return {"subject": subject, "body": body, "html": "", "sms": ""}

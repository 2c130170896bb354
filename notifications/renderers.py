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
        elif notification.kind in ORDER_EVENT_KINDS:
            messages = _order_event_messages(notification.kind, notification.payload)
        elif notification.kind == Kind.PAYOUT:
            messages = _payout_messages(notification.payload, producer=notification.partner.name)
        elif notification.kind == Kind.BANK_ACCOUNT:
            messages = _bank_account_messages(notification.payload, producer=notification.partner.name)
        else:
            messages = dispatcher.get_messages(EVENT_CODES[notification.kind], context_for(notification))
        for user in users:
            dispatcher.dispatch_user_messages(user, messages)
        for address in addresses:
            dispatcher.dispatch_direct_messages(address, messages)
    return [user.email for user in users] + addresses


ORDER_EVENT_KINDS = (Kind.DELIVERED, Kind.REFUSED, Kind.RETURN)


def _order_event_messages(kind: str, payload: dict) -> dict:
    """A producer's lines at the door: delivered, refused (coming back), or a return accepted."""
    number = payload.get("number", "")
    lines = "\n".join(f"- {line['title']}: {line['quantity']}" for line in payload.get("lines", []))
    if kind == Kind.DELIVERED:
        subject = _("Order %(number)s delivered") % {"number": number}
        intro = _("The shopper has received these products of order %(number)s:") % {"number": number}
        after = ""
    elif kind == Kind.REFUSED:
        subject = _("Order %(number)s refused at the door") % {"number": number}
        intro = _("The shopper refused these products of order %(number)s, or the carrier returned them. They "
                  "are coming back to you:") % {"number": number}
        after = _("Reason: %(reason)s") % {"reason": payload.get("reason", "")} + "\n" + _(
            "When the parcel is back, mark it received in the producer portal: the units return to your stock, "
            "or are written off if damaged.")
    else:
        subject = _("Return accepted for order %(number)s") % {"number": number}
        intro = _("The shop accepted the shopper's return of %(quantity)s unit(s) of order %(number)s:") % {
            "quantity": payload.get("quantity", ""), "number": number}
        after = _("When the goods are back, mark them received in the producer portal.")
    path = _path("dashboard:producer-order", number=number)
    body = "\n\n".join(part for part in (intro + "\n" + lines, after, f"{settings.OSCAR_SHOP_NAME}") if part)
    if path:
        body += "\n" + path
    return {"subject": subject, "body": body, "html": "", "sms": ""}


def _shelf_transfer_messages(payload: dict, *, producer: str) -> dict:
    lines = "\n".join(f"- {line['title']}: {line['quantity']}" for line in payload.get("lines", []))
    subject = _("Goods received at %(showroom)s") % {"showroom": payload.get("showroom", "")}
    body = _("%(showroom)s recorded these units from %(producer)s on its shelf:\n%(lines)s\n\nReference: "
             "%(reference)s") % {"showroom": payload.get("showroom", ""), "producer": producer, "lines": lines,
                                 "reference": payload.get("reference") or "-"}
    return {"subject": subject, "body": body, "html": "", "sms": ""}


def _dong(value) -> str:
    return f"{int(value):,}".replace(",", ".") + " ₫"


def _payout_messages(payload: dict, *, producer: str) -> dict:
    """The payout and its statement (settlement/mail.py froze the lines into the payload)."""
    lines = "\n".join(
        f"{line['date']}  {line['document']}  {line['product']} × {line['quantity']}: "
        f"{_dong(line['gross'])} − {_dong(line['commission'])} = {_dong(line['net'])}"
        for line in payload.get("lines", []))
    if payload.get("more_lines"):
        lines += "\n" + _("… and %(n)d more lines: see the statement in your portal.") % {"n": payload["more_lines"]}
    subject = _("OCOP payout %(reference)s: %(amount)s") % {"reference": payload.get("reference", ""),
                                                             "amount": _dong(payload.get("amount", 0))}
    body = _("Dear %(producer)s,\n\nWe transferred %(amount)s to your account %(bank)s %(account)s (%(holder)s), "
             "transfer note %(reference)s, bank reference %(bank_reference)s.\n\nStatement %(start)s – %(end)s: "
             "sales %(gross)s, commission %(commission)s, net %(net)s.\n%(lines)s") % {
        "producer": producer, "amount": _dong(payload.get("amount", 0)), "bank": payload.get("bank", ""),
        "account": payload.get("account", ""), "holder": payload.get("holder", ""),
        "reference": payload.get("reference", ""), "bank_reference": payload.get("bank_reference", ""),
        "start": payload.get("period_start", ""), "end": payload.get("period_end", ""),
        "gross": _dong(payload.get("gross", 0)), "commission": _dong(payload.get("commission", 0)),
        "net": _dong(payload.get("net", 0)), "lines": lines}
    return {"subject": subject, "body": body, "html": "", "sms": ""}


def _bank_account_messages(payload: dict, *, producer: str) -> dict:
    subject = _("Your bank account for OCOP payouts was changed")
    body = _("Dear %(producer)s,\n\nThe account your OCOP payouts go to is now: %(bank)s %(account)s, holder "
             "%(holder)s (changed by %(who)s at %(when)s).\n\nIf you did not make this change, call the OCOP "
             "office at once: the office sees the change before the next payout.") % {
        "producer": producer, "bank": payload.get("bank", ""), "account": payload.get("account", ""),
        "holder": payload.get("holder", ""), "who": payload.get("changed_by") or "-",
        "when": payload.get("changed_at", "")[:16].replace("T", " ")}
    return {"subject": subject, "body": body, "html": "", "sms": ""}

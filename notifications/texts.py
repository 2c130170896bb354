"""What a Zalo or SMS message says for each event, from the message's frozen payload.

ZNS templates are designed and approved in the Zalo console; the shop fills the parameters below, so
a template registered for an event must use these names. SMS texts are sent without accents
(notifications/channels/sms.py) and must match the customer-care templates registered with eSMS.
"""
from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import events


def money(amount) -> str:
    return f"{int(amount or 0):,}".replace(",", ".") + " ₫"


# Parameter names each event's ZNS template is registered with (README, "Zalo and SMS").
ZNS_PARAMS = {
    events.ORDER_PLACED: ("order_code", "customer_name", "total"),
    events.ORDER_SHIPPED: ("order_code", "customer_name"),
    events.ORDER_READY_AT_SHOWROOM: ("order_code", "customer_name", "showroom"),
    events.ORDER_DELIVERED: ("order_code", "customer_name"),
    events.PRODUCER_NEW_ORDER: ("order_code", "producer", "total"),
    events.CERT_EXPIRY: ("product", "certificate", "expiry_date"),
}

SMS_TEXTS = {
    events.ORDER_PLACED: _("%(shop)s: order %(order_code)s (%(total)s) is confirmed. Thank you!"),
    events.ORDER_SHIPPED: _("%(shop)s: order %(order_code)s has been handed to the carrier."),
    events.ORDER_READY_AT_SHOWROOM: _("%(shop)s: order %(order_code)s is ready for you at %(showroom)s."),
    events.ORDER_DELIVERED: _("%(shop)s: order %(order_code)s has been delivered. Thank you!"),
    events.PRODUCER_NEW_ORDER: _("%(shop)s: new order %(order_code)s for %(producer)s (%(total)s). "
                                 "Please prepare it."),
    events.CERT_EXPIRY: _("%(shop)s: the OCOP certificate %(certificate)s of %(product)s expires on "
                          "%(expiry_date)s."),
}


def day(iso: str) -> str:
    """'2027-01-31' -> '31/01/2027', as dates are written in Vietnam."""
    parts = str(iso or "").split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else str(iso or "")


def values(payload: dict) -> dict:
    return {"order_code": str(payload.get("number", "")), "customer_name": payload.get("name", ""),
            "total": money(payload.get("total")), "showroom": payload.get("showroom", ""),
            "producer": payload.get("producer", ""), "product": payload.get("title", ""),
            "certificate": payload.get("certificate", ""), "expiry_date": day(payload.get("expires_on", "")),
            "shop": settings.OSCAR_SHOP_NAME}


def zns_data(event: str, payload: dict) -> dict:
    every = values(payload)
    return {name: every[name] for name in ZNS_PARAMS.get(event, ())}


def sms_text(event: str, payload: dict, language: str = "vi") -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return str(SMS_TEXTS[event]) % values(payload)

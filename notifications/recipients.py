"""Who hears of an event, and by which channel: the one module that decides it.

- A shopper with an account: the channels of their ContactPreference (e-mail only without one);
  the phone is the one they gave there, else the delivery phone of the order.
- A guest: the e-mail and the phone given at checkout; the phone gets Zalo when it is configured,
  else SMS (one paid message per event, not two).
- A producer: e-mail and the portal notice through its Notification row (notifications/services.py);
  Zalo/SMS as its ContactPreference says, to the phone given there, else the producer's phone.
A channel whose provider is not configured, or that has nothing to say about an event (no Zalo
template for it), is left out: no row waits for ever for a provider that is not there.
"""
from __future__ import annotations

import re

from .channels import sms, zns
from .models import Channel, ContactPreference

_MOBILE_84 = re.compile(r"^84[35789]\d{8}$")


def phone_84(raw) -> str:
    """A Vietnamese mobile number in the 84… form Zalo asks for ('0912 345 678', '+84912345678' →
    '84912345678'); '' when it is no Vietnamese mobile number."""
    digits = re.sub(r"[\s.\-()]", "", str(raw or ""))
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits if _MOBILE_84.match(digits) else ""


def _phone_channels(channels, event: str) -> list[str]:
    usable = []
    if Channel.ZNS in channels and zns.is_configured() and zns.template_id(event):
        usable.append(Channel.ZNS)
    if Channel.SMS in channels and sms.is_configured() and sms.speaks_of(event):
        usable.append(Channel.SMS)
    return usable


def guest_phone_channels(event: str) -> list[str]:
    """Zalo when it can carry this event, else SMS."""
    return _phone_channels([Channel.ZNS], event) or _phone_channels([Channel.SMS], event)


def order_phone(order) -> str:
    address = getattr(order, "shipping_address", None)
    return phone_84(address.phone_number) if address is not None and address.phone_number else ""


def customer_addresses(order, event: str) -> list[tuple[str, str]]:
    """(channel, address) pairs the shopper of `order` hears of `event` by."""
    email = order.email if order.user_id else order.guest_email
    if order.user_id:
        preference = ContactPreference.objects.filter(user_id=order.user_id).first()
        channels = preference.channels() if preference else [Channel.EMAIL]
        phone = phone_84(preference.phone) if preference and preference.phone else ""
        phone = phone or order_phone(order)
        phone_channels = _phone_channels(channels, event)
    else:
        channels, phone = [Channel.EMAIL], order_phone(order)
        phone_channels = guest_phone_channels(event)
    pairs = [(Channel.EMAIL, email)] if Channel.EMAIL in channels and email else []
    return pairs + [(channel, phone) for channel in phone_channels if phone]


_READ = object()


def producer_phone_addresses(partner, event: str, preference=_READ) -> list[tuple[str, str]]:
    """(channel, phone) pairs a producer hears of `event` by, besides its e-mail and portal notice.
    `preference`: the producer's ContactPreference (None: it has none) when the caller read it."""
    if preference is _READ:
        preference = ContactPreference.objects.filter(partner=partner).first()
    if preference is None:
        return []
    phone = phone_84(preference.phone) or phone_84(partner.phone)
    return [(channel, phone) for channel in _phone_channels(preference.channels(), event) if phone]

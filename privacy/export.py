"""Everything the shop keeps about a customer, as one JSON document they can download (Decree 13,
art. 9: the data subject's right to access and obtain their data)."""
from __future__ import annotations

from django.utils import timezone
from oscar.core.loading import get_model


def _address(address) -> dict | None:
    if address is None:
        return None
    return {"name": address.name, "phone": str(address.phone_number or ""), "line1": address.line1,
            "line2": address.line2, "line3": address.line3, "line4": address.line4,
            "postcode": address.postcode, "notes": getattr(address, "notes", "")}


def personal_data(user) -> dict:
    UserAddress = get_model("address", "UserAddress")
    Order = get_model("order", "Order")
    Email = get_model("communication", "Email")
    from notifications.models import ContactPreference, Message

    from .models import Consent

    orders = Order.objects.filter(user=user).select_related("shipping_address").prefetch_related("lines")
    preference = ContactPreference.objects.filter(user=user).first()
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {"email": user.email, "first_name": user.first_name, "last_name": user.last_name,
                    "date_joined": user.date_joined.isoformat(),
                    "last_login": user.last_login.isoformat() if user.last_login else None},
        "address_book": [_address(a) for a in UserAddress.objects.filter(user=user).order_by("pk")],
        "orders": [{"number": o.number, "placed": o.date_placed.isoformat(), "status": o.status,
                    "total": int(o.total_incl_tax), "currency": o.currency,
                    "delivery_address": _address(o.shipping_address),
                    "lines": [{"product": line.title, "quantity": line.quantity,
                               "total": int(line.line_price_incl_tax)} for line in o.lines.all()]}
                   for o in orders.order_by("date_placed")],
        "contact_preference": None if preference is None else {
            "email": preference.by_email, "zalo": preference.by_zalo, "sms": preference.by_sms,
            "phone": preference.phone},
        "messages_sent": [{"event": m.event, "channel": m.channel, "to": m.recipient, "status": m.status,
                           "sent_at": m.sent_at.isoformat() if m.sent_at else None}
                          for m in Message.objects.filter(order__user=user).order_by("pk")],
        "emails_sent": [{"subject": e.subject, "date": e.date_sent.isoformat()}
                        for e in Email.objects.filter(user=user).order_by("pk")],
        "consents": [{"purpose": c.purpose, "notice_version": c.notice_version, "given_at": c.given_at.isoformat()}
                     for c in Consent.objects.filter(user=user).order_by("pk")],
    }

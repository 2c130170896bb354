"""Money given back to the shopper, recorded the way Oscar records money (sources and events).

Beside shop/order/services.py's record_payment, and idempotent the same way: one refund per
(order, reference), so a replayed notification records nothing twice.
"""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_model

from shop.order.services import REFUNDED_EVENT

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
Source = get_model("payment", "Source")


@transaction.atomic
def record_refund(*, order, amount: Decimal, reference: str, source_type: str, note: str = "") -> bool:
    """Record `amount` refunded from the order's `source_type` source. Returns False when this
    reference was already recorded or nothing was paid that way, True when the refund is new."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    source = Source.objects.filter(order=order, source_type__name=source_type).first()
    if source is None or amount <= 0:
        return False
    event_type, _ = PaymentEventType.objects.get_or_create(name=REFUNDED_EVENT)
    if PaymentEvent.objects.filter(order=order, event_type=event_type, reference=reference).exists():
        return False
    source.refund(amount, reference=reference)
    event = PaymentEvent.objects.create(order=order, amount=amount, reference=reference, event_type=event_type)
    if source.amount_refunded >= source.amount_debited:  # the whole payment is back: it covered every line
        for line in order.lines.all():
            event.line_quantities.create(line=line, quantity=line.quantity)
    if note:
        OrderNote.objects.create(order=order, note_type=OrderNote.SYSTEM, message=note)
    return True

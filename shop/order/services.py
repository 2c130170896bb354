"""What happens to a placed order: it is paid, or it is cancelled and gives its stock back.

One function per operation, called by every channel (staff action in the dashboard, the Stripe
webhook, the expiry task). Each is idempotent: the same payment reference or a second cancel
changes nothing, so a replayed webhook or a retried task is harmless.
"""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_model

from notifications import customer as customer_messages
from shop.order import statuses
from shop.partner import stock

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

PAID_EVENT = "Paid"
REFUNDED_EVENT = "Refunded"


def amount_paid(order) -> Decimal:
    """Money received for the order, from Oscar's payment sources (debited minus refunded)."""
    return sum((s.amount_debited - s.amount_refunded for s in order.sources.all()), Decimal(0))


def is_paid(order) -> bool:
    return amount_paid(order) >= order.total_incl_tax


@transaction.atomic
def record_payment(*, order, amount: Decimal, reference: str, source_type: str, note: str = "") -> bool:
    """Record money received for `order` (reference: the bank or Stripe reference, unique per
    order). Moves an unpaid order to Processing once fully paid. Returns False when this
    reference was already recorded (a replay), True when the payment is new."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    event_type, _ = PaymentEventType.objects.get_or_create(name=PAID_EVENT)
    if PaymentEvent.objects.filter(order=order, event_type=event_type, reference=reference).exists():
        return False
    kind, _ = SourceType.objects.get_or_create(name=source_type)
    source, _ = Source.objects.get_or_create(order=order, source_type=kind, defaults={"currency": order.currency})
    source.debit(amount, reference=reference)
    event = PaymentEvent.objects.create(order=order, amount=amount, reference=reference, event_type=event_type)
    for line in order.lines.all():
        event.line_quantities.create(line=line, quantity=line.quantity)
    if note:
        OrderNote.objects.create(order=order, note_type=OrderNote.SYSTEM, message=note)
    if order.status in statuses.UNPAID and is_paid(order):
        order.set_status(statuses.PROCESSING)
    if is_paid(order):  # a part payment is not worth an e-mail; the full one is, once per order
        customer_messages.notify_on_commit(order=order, code=customer_messages.PAYMENT_RECEIVED)
    return True


@transaction.atomic
def cancel_order(*, order, reason: str, actor=None) -> bool:
    """Cancel an order that has not shipped, and give its allocated stock back.
    Returns False when it was already cancelled (a retried task), True when it is cancelled now."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status == statuses.CANCELLED:
        return False
    order.set_status(statuses.CANCELLED)  # refuses (InvalidOrderStatus) once delivered
    stock.release_lines(order.lines.all(), actor=actor, note=reason)
    OrderNote.objects.create(order=order, note_type=OrderNote.SYSTEM, message=reason)
    customer_messages.notify_on_commit(order=order, code=customer_messages.ORDER_CANCELLED)
    return True

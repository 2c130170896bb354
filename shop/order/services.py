"""What happens to a placed order: it is paid, or it is cancelled and gives its stock back.

One function per operation, called by every channel (staff action in the dashboard, the Stripe
webhook, the expiry task). Each is idempotent: the same payment reference or a second cancel
changes nothing, so a replayed webhook or a retried task is harmless.
"""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_model

from notifications import events
from notifications.services import queue_customer_message
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


def amount_due(order) -> Decimal:
    """What the shopper must pay: the order's total less the price of lines refused at the door
    (shop/order/lifecycle.py); nothing when every line was refused (the shop bears the carriage).
    After a refusal, once no line is still on the way, the shipping charge is owed only as far as it
    was collected: a carrier's waybill fixes each parcel's cash when it is printed and the charge
    rides on one parcel (carriers/shipments.cod_for); when that parcel came back refused the charge
    cannot be collected any more, and the shop bears it as it does for a whole refused order."""
    lines = list(order.lines.all())
    refused = [line for line in lines if line.status in (statuses.LINE_REFUSED, statuses.LINE_RECEIVED_BACK)]
    if lines and len(refused) == len(lines):
        return Decimal(0)
    due = max(order.total_incl_tax - sum((line.line_price_incl_tax for line in refused), Decimal(0)), Decimal(0))
    if not refused or any(line.status not in statuses.LINE_AT_REST for line in lines):
        return due
    shipping = min(Decimal(order.shipping_incl_tax or 0), due)
    goods = due - shipping
    return goods + min(shipping, max(amount_paid(order) - goods, Decimal(0)))


def is_paid(order) -> bool:
    """Paid in full: for a COD order with lines refused at the door, what the kept lines cost."""
    return amount_paid(order) >= amount_due(order)


@transaction.atomic
def record_payment(*, order, amount: Decimal, reference: str, source_type: str, note: str = "",
                   notify: bool = True) -> bool:
    """Record money received for `order` (reference: the bank or Stripe reference, unique per
    order). Moves an unpaid order to Processing once fully paid. Returns False when this
    reference was already recorded (a replay), True when the payment is new. notify=False: the
    caller's own e-mail says it (cash on delivery: the delivery e-mail)."""
    order = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
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
    if notify and is_paid(order):  # a part payment is not worth a message; the full one is, once per order
        queue_customer_message(order=order, event=events.PAYMENT_RECEIVED)
    return True


@transaction.atomic
def cancel_order(*, order, reason: str, actor=None) -> bool:
    """Cancel an order that has not shipped, and give its allocated stock back.
    Returns False when it was already cancelled (a retried task), True when it is cancelled now."""
    order = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
    if order.status == statuses.CANCELLED:
        return False
    order.set_status(statuses.CANCELLED)  # refuses (InvalidOrderStatus) once delivered
    stock.release_lines(order.lines.all(), actor=actor, note=reason)
    OrderNote.objects.create(order=order, note_type=OrderNote.SYSTEM, message=reason)
    queue_customer_message(order=order, event=events.ORDER_CANCELLED)
    return True

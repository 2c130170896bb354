"""A producer packs and ships their own lines of an order; the order follows.

Each step is Oscar's: the line status moves along OSCAR_LINE_STATUS_PIPELINE (shop/order/statuses.py)
and a shipping event ("Packed", "Shipped") records which lines and how many. When every line of the
order, whoever made it, is shipped, the order moves to Shipped and the shopper gets an e-mail
(notifications.services.queue_customer_message, once per order). Repeating a step changes nothing.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.ids import row_ids
from shop.order import lifecycle, statuses
from shop.partner import stock

from .models import Shipment

Order = get_model("order", "Order")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventType = get_model("order", "ShippingEventType")

PACKED_EVENT, SHIPPED_EVENT = "Packed", "Shipped"


def can_fulfil(order) -> bool:
    """Only a paid order, or one paid on delivery, is prepared (statuses.PROCESSING)."""
    return order.status == statuses.PROCESSING


def _lines_to_move(order, partner, line_ids, to_status):
    lines = list(order.lines.select_for_update(of=("self",), no_key=True).filter(partner=partner).order_by("pk"))
    if line_ids is not None:
        wanted = set(row_ids(line_ids))
        if len(wanted) < len(set(line_ids)) or not wanted.issubset({line.pk for line in lines}):
            raise ValidationError(_("Some of these lines are not yours."))
        lines = [line for line in lines if line.pk in wanted]
    return [line for line in lines if to_status in line.available_statuses()]


def _record(order, lines, event_name, to_status, notes=""):
    event_type, _ = ShippingEventType.objects.get_or_create(name=event_name)
    event = ShippingEvent.objects.create(order=order, event_type=event_type, notes=notes)
    for line in lines:
        event.line_quantities.create(line=line, quantity=line.quantity)
        line.set_status(to_status)
    return event


@transaction.atomic
def mark_packed(*, order, partner, line_ids=None) -> int:
    """Mark the producer's lines packed (all of them when line_ids is None). Returns how many moved."""
    order = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
    if not can_fulfil(order):
        raise ValidationError(_("This order is not ready to prepare (status: %(status)s).")
                              % {"status": statuses.LABELS.get(order.status, order.status)})
    lines = _lines_to_move(order, partner, line_ids, statuses.LINE_PACKED)
    if lines:
        _record(order, lines, PACKED_EVENT, statuses.LINE_PACKED)
    return len(lines)


@transaction.atomic
def mark_shipped(*, order, partner, carrier: str, tracking_number: str = "", line_ids=None, actor=None) -> int:
    """Hand the producer's lines to a carrier: their held units leave the stock record (the stock
    ledger's hand-over). Returns how many lines moved; the order follows when every line of it is
    shipped."""
    order = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
    if order.pickup_showroom_id:  # the showroom records the goods when they arrive (pickups/services.py)
        raise ValidationError(_("This order is collected at %(showroom)s: bring the goods there, no courier.")
                              % {"showroom": order.pickup_showroom.name})
    if not can_fulfil(order):
        raise ValidationError(_("This order is not ready to ship (status: %(status)s).")
                              % {"status": statuses.LABELS.get(order.status, order.status)})
    lines = _lines_to_move(order, partner, line_ids, statuses.LINE_SHIPPED)
    if not lines:
        return 0
    notes = f"{carrier} {tracking_number}".strip()
    event = _record(order, lines, SHIPPED_EVENT, statuses.LINE_SHIPPED, notes=notes)
    shipment = Shipment.objects.create(order=order, partner=partner, event=event, carrier=carrier,
                                       tracking_number=tracking_number)
    stock.consume_lines(lines, actor=actor, reason=stock.Reason.HANDED_OVER, source=shipment, note=notes)
    follow_lines(order)
    return len(lines)


def follow_lines(order) -> bool:
    """Move the order to Shipped once all its lines have left (shop.order.lifecycle decides, for every
    channel: a line already delivered counts as gone); tell the shopper. True when it moved."""
    return lifecycle.follow_lines(order) is not None


def line_label(line) -> str:
    return str(statuses.LINE_LABELS.get(line.status, line.status))

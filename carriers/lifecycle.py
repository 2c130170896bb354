"""The one place where a parcel's status moves its order (every call into the order's life is here).

picked up -> the producer's lines in the parcel are shipped (the order follows when all are);
delivered -> the parcel's lines are delivered and its COD recorded as collected; the order is
             delivered once every line is; returned -> the parcel's lines are refused, to be
             received back by the producer.
Picked up goes through the producer portal's mark_shipped; delivered and returned through the
order's life (shop/order/lifecycle.py: deliver, refuse), which records money, stock and the
producers' ledger the way every other channel does. Each step is idempotent: a replayed status
changes nothing.
Loaded by name (get_class / import_string): this app sits below the Oscar forks and channels.
"""
from __future__ import annotations

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from .base import CarrierStatus

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")



def _note(order, message: str, warning: bool = False) -> None:
    OrderNote.objects.create(order=order, note_type=OrderNote.WARNING if warning else OrderNote.SYSTEM,
                             message=message)


def apply(shipment, status: str, *, carrier_name: str) -> bool:
    """Move the order for `shipment` reaching `status`. True when something changed."""
    if status == CarrierStatus.PICKED_UP:
        return picked_up(shipment, carrier_name=carrier_name)
    if status == CarrierStatus.DELIVERED:
        picked_up(shipment, carrier_name=carrier_name)  # a parcel delivered was picked up, webhook or not
        return delivered(shipment)
    if status == CarrierStatus.RETURNED:
        return returned(shipment)
    if status == CarrierStatus.LOST:
        _note(shipment.order, _("Carrier reports parcel %(waybill)s lost or damaged: claim compensation.")
              % {"waybill": shipment.waybill}, warning=True)
        return True
    return False


def picked_up(shipment, *, carrier_name: str) -> bool:
    mark_shipped = import_string("producer_portal.fulfilment.mark_shipped")
    try:
        moved = mark_shipped(order=shipment.order, partner=shipment.partner, carrier=carrier_name,
                             tracking_number=shipment.waybill, line_ids=shipment.line_ids or None)
    except ValidationError as error:  # the order is not Processing (already shipped, cancelled)
        logger.info("parcel %s picked up, order %s not moved: %s", shipment.waybill, shipment.order.number, error)
        return False
    return bool(moved)


def delivered(shipment) -> bool:
    """The parcel reached the shopper: its lines are delivered through the order's life
    (shop/order/lifecycle.deliver: COD recorded with the waybill as reference, stock handed over,
    the producer credited, the order Delivered once every line is). A replay changes nothing."""
    deliver = get_class("order.lifecycle", "deliver")
    order = Order.objects.select_for_update(no_key=True).get(pk=shipment.order_id)
    try:
        moved = deliver(order=order, partner=shipment.partner, line_ids=shipment.line_ids or None,
                        cod_amount=Decimal(shipment.cod_amount) if shipment.cod_amount else None,
                        cod_reference=f"COD-{shipment.waybill}", channel=shipment.carrier)
    except ValidationError as error:
        logger.info("parcel %s delivered, order %s not moved: %s", shipment.waybill, order.number, error)
        return False
    return bool(moved)


def returned(shipment) -> bool:
    """The parcel came back (refused at the door or undeliverable): its lines are refused through the
    order's life; the producer then marks the goods received back (or damaged) in the portal, which
    returns them to stock through the ledger."""
    refuse = get_class("order.lifecycle", "refuse")
    order = Order.objects.select_for_update(no_key=True).get(pk=shipment.order_id)
    try:
        moved = refuse(order=order, partner=shipment.partner, line_ids=shipment.line_ids or None,
                       reason=_("The carrier returned parcel %(waybill)s (refused or undeliverable).")
                       % {"waybill": shipment.waybill}, channel=shipment.carrier)
    except ValidationError as error:
        logger.info("parcel %s returned, order %s not moved: %s", shipment.waybill, order.number, error)
        _note(order, _("Parcel %(waybill)s came back to the producer (refused or undeliverable): settle the rest "
                       "of the order by hand.") % {"waybill": shipment.waybill}, warning=True)
        return True
    return bool(moved)

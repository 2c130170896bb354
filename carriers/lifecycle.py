"""The one place where a parcel's status moves its order (every call into the order's life is here).

picked up -> the producer's lines in the parcel are shipped (the order follows when all are);
delivered -> the parcel's COD is recorded as collected, and the order is delivered once every
             parcel of it is; returned -> the office is told, and an order whose every parcel came
             back is cancelled, its stock given back.
Until the order-lifecycle work lands (shop/order/lifecycle.py: mark_delivered, mark_refused, …)
this uses what exists: the producer portal's mark_shipped, the order services' record_payment and
cancel_order, and Oscar's set_status. Each step is idempotent: a replayed status changes nothing.
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
SHIPPED, DELIVERED, CANCELLED = "Shipped", "Delivered", "Cancelled"  # shop/order/statuses.py


def _services():
    return get_class("order.services", "record_payment"), get_class("order.services", "cancel_order")


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
    record_payment, _cancel = _services()
    order = Order.objects.select_for_update().get(pk=shipment.order_id)
    changed = False
    if shipment.cod_amount and shipment.cod_amount > 0:
        changed = record_payment(order=order, amount=Decimal(shipment.cod_amount), reference=f"COD-{shipment.waybill}",
                                 source_type="COD", note=_("Cash collected on delivery by the carrier (waybill "
                                                           "%(waybill)s).") % {"waybill": shipment.waybill})
    siblings = order.carrier_shipments.exclude(status=CarrierStatus.CANCELLED)
    every_parcel_delivered = all(s.pk == shipment.pk or s.status == CarrierStatus.DELIVERED for s in siblings)
    order.refresh_from_db()
    if every_parcel_delivered and order.status == SHIPPED:
        order.set_status(DELIVERED)
        changed = True
    return changed


def returned(shipment) -> bool:
    _record, cancel_order = _services()
    order = Order.objects.select_for_update().get(pk=shipment.order_id)
    siblings = order.carrier_shipments.exclude(status=CarrierStatus.CANCELLED)
    if all(s.pk == shipment.pk or s.status == CarrierStatus.RETURNED for s in siblings) and order.status in (
            SHIPPED, "Processing"):
        return cancel_order(order=order, reason=_("Every parcel came back (refused or undeliverable, waybill "
                                                  "%(waybill)s): order cancelled and its stock given back.")
                            % {"waybill": shipment.waybill})
    _note(order, _("Parcel %(waybill)s came back to the producer (refused or undeliverable): settle the rest of the "
                   "order by hand.") % {"waybill": shipment.waybill}, warning=True)
    return True

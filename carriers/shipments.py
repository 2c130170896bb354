"""A producer's parcel with a carrier: create the waybill, print its label, cancel it before
pick-up, and take in what the carrier reports (webhook or poll).

The Shipment row is written before the carrier is called and updated after, each in its own
short transaction, so no lock is held while the carrier answers (up to CARRIER_API_TIMEOUT). A
creation the carrier did not answer stays "being created" with its error, and creating again
sends the same client code (order number and producer), so the carrier refuses a duplicate.
"""
from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from . import areas, lifecycle, registry
from .base import CarrierError, CarrierStatus, Contact, Item, Tracking, WaybillRequest
from .models import Shipment, ShipmentEvent
from .quotes import DEFAULT_GRAMS

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")
PROCESSING = "Processing"  # shop/order/statuses.py: paid, or cash on delivery


class WaybillError(Exception):
    """What the producer is told (translated)."""


def _amount_paid(order) -> Decimal:
    return get_class("order.services", "amount_paid")(order)


def _amount_due(order) -> Decimal:
    return get_class("order.services", "amount_due")(order)


def _phone(value: str) -> str:
    """Carriers want 0xxxxxxxxx; addresses keep +84xxxxxxxxx."""
    text = str(value or "").replace(" ", "")
    return "0" + text[3:] if text.startswith("+84") else text


def cod_for(order, partner, lines) -> Decimal:
    """What the shopper still owes for these lines: their total, plus the order's shipping on the
    first parcel, never more than the order still owes after the other parcels' COD."""
    others = list(order.carrier_shipments.exclude(partner=partner).exclude(status=CarrierStatus.CANCELLED))
    # Cash of other parcels still on the way; a delivered parcel's cash is already in what was paid.
    to_collect = sum((s.cod_amount for s in others if s.status in CarrierStatus.OPEN), Decimal(0))
    owed = _amount_due(order) - _amount_paid(order) - to_collect
    share = sum((Decimal(line.line_price_incl_tax) for line in lines), Decimal(0))
    if not others:
        share += Decimal(order.shipping_incl_tax or 0)
    return max(Decimal(0), min(share, owed)).quantize(Decimal(1))


def _grams(line) -> int:
    weight = line.product.attribute_values.filter(attribute__code="weight").first() if line.product else None
    kg = getattr(weight, "value", None) if weight is not None else None
    return int(Decimal(str(kg)) * 1000) if isinstance(kg, (int, float, Decimal)) and kg > 0 else DEFAULT_GRAMS


def _request(shipment: Shipment, carrier, lines) -> WaybillRequest:
    order, partner = shipment.order, shipment.partner
    address = order.shipping_address
    street = getattr(partner.primary_address, "line1", "") if hasattr(partner, "primary_address") else ""
    sender_place = areas.place(carrier.code, partner.ward_code, street=street or partner.name)
    recipient_place = areas.place(carrier.code, getattr(address, "ward_code", None),
                                  street=getattr(address, "line1", ""))
    if sender_place is None:
        raise WaybillError(_("Your pick-up ward is not known to %(carrier)s yet: ask the OCOP office to map it.")
                           % {"carrier": carrier.name})
    if recipient_place is None:
        raise WaybillError(_("The shopper's ward is not known to %(carrier)s yet: ask the OCOP office to map it.")
                           % {"carrier": carrier.name})
    items = tuple(Item(name=line.title[:200], quantity=line.quantity, weight_grams=_grams(line),
                       code=line.partner_sku or "") for line in lines)
    payment = getattr(order, "payment_choice", None)
    return WaybillRequest(
        client_code=shipment.client_code,
        sender=Contact(name=partner.name[:100], phone=_phone(partner.phone), place=sender_place),
        recipient=Contact(name=address.name[:100], phone=_phone(address.phone_number), place=recipient_place),
        items=items, weight_grams=shipment.weight_grams, cod_amount=int(shipment.cod_amount),
        value=int(sum((line.line_price_incl_tax for line in lines), Decimal(0))),
        express=order.shipping_code == "express", note=_("OCOP order %(number)s") % {"number": order.number},
        allow_inspection=bool(getattr(payment, "cod_inspection", False)))


def open_shipment(order, partner) -> Shipment | None:
    return (Shipment.objects.filter(order=order, partner=partner).exclude(status=CarrierStatus.CANCELLED)
            .order_by("-created_at").first())


def create_waybill(*, order, partner, user=None) -> Shipment:
    """Create (or return the existing) waybill for the producer's lines of `order`."""
    carrier = registry.default()
    if carrier is None:
        raise WaybillError(_("No carrier is configured: enter the carrier and tracking number by hand."))
    with transaction.atomic():
        order = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
        existing = open_shipment(order, partner)
        if existing is not None and existing.waybill:
            return existing
        if order.status != PROCESSING:
            raise WaybillError(_("This order is not ready to ship."))
        if order.shipping_address is None or order.pickup_showroom_id:
            raise WaybillError(_("This order is not delivered to an address."))
        lines = list(order.lines.filter(partner=partner).select_related("product").order_by("pk"))
        if not lines:
            raise WaybillError(_("This order has no lines of yours."))
        shipment = existing or Shipment(order=order, partner=partner, carrier=carrier.code, created_by=user)
        shipment.carrier = carrier.code
        shipment.line_ids = [line.pk for line in lines]
        shipment.weight_grams = sum(_grams(line) * line.quantity for line in lines)
        shipment.cod_amount = cod_for(order, partner, lines)
        shipment.status = CarrierStatus.CREATING
        shipment.save()
        request = _request(shipment, carrier, lines)
    try:
        waybill = carrier.create(request, timeout=settings.CARRIER_API_TIMEOUT)
    except CarrierError as error:
        Shipment.objects.filter(pk=shipment.pk).update(error=error.message[:1000], updated_at=timezone.now())
        logger.warning("%s waybill for %s failed: %s", carrier.code, shipment.client_code, error.message)
        raise WaybillError(_("%(carrier)s did not create the waybill (%(error)s). Try again in a moment.")
                           % {"carrier": carrier.name, "error": error.message}) from error
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update(no_key=True).get(pk=shipment.pk)
        shipment.waybill, shipment.fee, shipment.error = waybill.code[:64], waybill.fee, ""
        shipment.status, shipment.carrier_status = waybill.status, waybill.carrier_status
        shipment.last_heard_at = timezone.now()
        try:
            with transaction.atomic():
                shipment.save()
        except IntegrityError as error:  # the carrier gave a code we already hold: a duplicate answer
            raise WaybillError(_("The carrier answered with a waybill already recorded.")) from error
        ShipmentEvent.objects.get_or_create(shipment=shipment, carrier_status=waybill.carrier_status,
                                            occurred_at="created", defaults={"source": "create",
                                                                             "status": waybill.status,
                                                                             "applied": True})
    return shipment


def cancel_waybill(*, shipment: Shipment) -> Shipment:
    """Cancel with the carrier while not picked up; the producer may then ship by hand or again."""
    if shipment.status not in (CarrierStatus.CREATING, CarrierStatus.READY):
        raise WaybillError(_("The parcel is already with the carrier: it cannot be cancelled."))
    carrier = registry.get(shipment.carrier)
    if shipment.waybill:
        if carrier is None:
            raise WaybillError(_("This carrier is no longer configured."))
        try:
            carrier.cancel(shipment.waybill, timeout=settings.CARRIER_API_TIMEOUT)
        except CarrierError as error:
            raise WaybillError(_("%(carrier)s did not cancel the waybill (%(error)s).")
                               % {"carrier": carrier.name, "error": error.message}) from error
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update(no_key=True).get(pk=shipment.pk)
        if shipment.status in (CarrierStatus.CREATING, CarrierStatus.READY):
            shipment.status = CarrierStatus.CANCELLED
            shipment.save(update_fields=["status", "updated_at"])
            ShipmentEvent.objects.get_or_create(shipment=shipment, carrier_status="cancel", occurred_at="cancelled",
                                                defaults={"source": "cancel", "status": CarrierStatus.CANCELLED,
                                                          "applied": True})
    return shipment


def label(*, shipment: Shipment) -> tuple[bytes, str]:
    carrier = registry.get(shipment.carrier)
    if carrier is None or not shipment.waybill:
        raise WaybillError(_("There is no label to print for this parcel."))
    try:
        return carrier.label(shipment.waybill, timeout=settings.CARRIER_API_TIMEOUT)
    except CarrierError as error:
        raise WaybillError(_("%(carrier)s did not give the label (%(error)s). Try again in a moment.")
                           % {"carrier": carrier.name, "error": error.message}) from error


# ---------------------------------------------------------------------------- what the carrier reports
@transaction.atomic
def record_tracking(*, shipment_id: int, tracking: Tracking, source: str) -> bool:
    """Take in a status the carrier confirmed. False when it was already taken in (a replay)."""
    shipment = Shipment.objects.select_for_update(no_key=True).select_related("order", "partner").get(pk=shipment_id)
    shipment.last_heard_at = timezone.now()
    if not tracking.status:  # a status word this shop does not know: kept, not acted on
        logger.warning("%s %s: unknown status %r", shipment.carrier, shipment.waybill, tracking.carrier_status)
    try:
        with transaction.atomic():
            event = ShipmentEvent.objects.create(
                shipment=shipment, source=source, carrier_status=tracking.carrier_status[:64],
                status=tracking.status or shipment.status, occurred_at=tracking.occurred_at[:40],
                payload=tracking.raw if isinstance(tracking.raw, dict) else {})
    except IntegrityError:
        shipment.save(update_fields=["last_heard_at"])
        return False
    shipment.carrier_status = tracking.carrier_status[:64]
    moved = bool(tracking.status) and CarrierStatus.RANK.get(tracking.status, 0) > CarrierStatus.RANK.get(
        shipment.status, 0)
    if moved:
        shipment.status = tracking.status
        if tracking.status == CarrierStatus.DELIVERED:
            shipment.cod_collected_at = timezone.now() if shipment.cod_amount else None
        carrier = registry.ADAPTERS.get(shipment.carrier)
        lifecycle.apply(shipment, tracking.status, carrier_name=carrier.name if carrier else shipment.carrier)
        event.applied = True
        event.save(update_fields=["applied"])
    shipment.save()
    return True


def refresh(shipment: Shipment, *, source: str) -> bool:
    """Ask the carrier for the parcel's status and take it in (webhook confirmation, beat poll)."""
    carrier = registry.get(shipment.carrier)
    if carrier is None or not shipment.waybill:
        return False
    try:
        tracking = carrier.detail(shipment.waybill, timeout=settings.CARRIER_API_TIMEOUT)
    except CarrierError as error:
        Shipment.objects.filter(pk=shipment.pk).update(error=f"{source}: {error.message}"[:1000])
        logger.warning("%s detail of %s failed: %s", carrier.code, shipment.waybill, error.message)
        raise
    return record_tracking(shipment_id=shipment.pk, tracking=tracking, source=source)

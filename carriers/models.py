"""What the shop keeps of its parcels: one Shipment per waybill, its status history, the
carriers' area codes for our wards, and the COD payout statements imported from the carriers.

A Shipment belongs to one order and one producer (partner): a mixed basket ships as one parcel
per producer, each from that producer's pick-up address. The waybill code is also written on
Oscar's ShippingEvent when the parcel is picked up, so Oscar's order pages show it.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import STATUS_CHOICES, CarrierStatus

MONEY = {"max_digits": 14, "decimal_places": 0}


class Shipment(models.Model):
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="carrier_shipments",
                              verbose_name=_("Order"))
    partner = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="carrier_shipments",
                                verbose_name=_("Producer"))
    carrier = models.CharField(_("Carrier"), max_length=16)
    waybill = models.CharField(_("Waybill code"), max_length=64, blank=True)
    status = models.CharField(_("Status"), max_length=16, choices=STATUS_CHOICES, default=CarrierStatus.CREATING)
    carrier_status = models.CharField(_("Carrier's status"), max_length=64, blank=True)
    cod_amount = models.DecimalField(_("Cash to collect"), **MONEY, default=0)
    fee = models.DecimalField(_("Carrier fee"), **MONEY, null=True, blank=True)
    weight_grams = models.PositiveIntegerField(_("Weight (g)"), default=0)
    line_ids = models.JSONField(_("Order lines in the parcel"), default=list)
    error = models.TextField(_("Last error"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_heard_at = models.DateTimeField(_("Last heard from the carrier"), null=True, blank=True)
    cod_collected_at = models.DateTimeField(_("COD collected"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "waybill"], condition=~models.Q(waybill=""),
                                    name="shipment_one_per_waybill"),
        ]
        verbose_name = _("Shipment")
        verbose_name_plural = _("Shipments")

    def __str__(self):
        return f"{self.carrier} {self.waybill or '-'} ({self.order_id})"

    @property
    def client_code(self) -> str:
        """Our reference on the carrier's side: one per order and producer, stable across retries."""
        return f"{self.order.number}-{self.partner_id}"

    @property
    def is_open(self) -> bool:
        return self.status in CarrierStatus.OPEN


class ShipmentEvent(models.Model):
    """One status the carrier reported (webhook or poll). Unique per shipment, carrier status and
    time, so a replayed webhook or a poll that sees the same state adds nothing."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    source = models.CharField(max_length=12)  # webhook, poll, create, cancel
    carrier_status = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES)
    occurred_at = models.CharField(max_length=40, blank=True)  # as the carrier wrote it
    received_at = models.DateTimeField(auto_now_add=True)
    applied = models.BooleanField(default=False)
    payload = models.JSONField(default=dict)

    class Meta:
        ordering = ["received_at"]
        constraints = [models.UniqueConstraint(fields=["shipment", "carrier_status", "occurred_at"],
                                               name="shipment_event_once")]


class CarrierArea(models.Model):
    """A ward of ours (vietnam-provinces code) in one carrier's own codes (GHN: district id and
    ward code from its master data; GHTK: the names it prices by)."""

    carrier = models.CharField(max_length=16)
    province_code = models.CharField(max_length=8)
    ward_code = models.CharField(max_length=8)
    carrier_province = models.CharField(max_length=64, blank=True)
    carrier_district = models.CharField(max_length=64, blank=True)
    carrier_ward = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["carrier", "ward_code"], name="carrier_area_once")]


class CodPayout(models.Model):
    """One line of a carrier's COD payout statement: the carrier paid us `amount` for a waybill."""

    carrier = models.CharField(_("Carrier"), max_length=16)
    statement = models.CharField(_("Statement"), max_length=128)
    waybill = models.CharField(_("Waybill code"), max_length=64)
    amount = models.DecimalField(_("COD paid out"), **MONEY)
    fee = models.DecimalField(_("Fee deducted"), **MONEY, default=0)
    paid_on = models.DateField(_("Paid on"), null=True, blank=True)
    shipment = models.ForeignKey(Shipment, null=True, blank=True, on_delete=models.PROTECT, related_name="payouts")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        constraints = [models.UniqueConstraint(fields=["carrier", "statement", "waybill"], name="cod_payout_once")]
        verbose_name = _("COD payout line")
        verbose_name_plural = _("COD payout lines")

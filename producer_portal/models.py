"""What the portal keeps of its own: a producer's shipments (carrier and tracking number, beside
Oscar's shipping event) and a stock CSV between its preview and its confirmation."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Shipment(models.Model):
    """One producer's parcel of an order: Oscar's "Shipped" shipping event says which lines, this
    says how it travels."""

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="producer_shipments",
                              verbose_name=_("Order"))
    partner = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="shipments",
                                verbose_name=_("Producer"))
    event = models.OneToOneField("order.ShippingEvent", on_delete=models.CASCADE, related_name="shipment")
    carrier = models.CharField(_("Carrier"), max_length=64)
    tracking_number = models.CharField(_("Tracking number"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("Shipped at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Shipment")
        verbose_name_plural = _("Shipments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.carrier} {self.tracking_number}".strip()


class StockImport(models.Model):
    """A checked stock CSV waiting for the producer's confirmation: the changes, never half-applied."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="stock_imports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    filename = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Stock import")  # named in the stock history of the records it changed
        verbose_name_plural = _("Stock imports")

"""An online order the shopper collects at a showroom: where it waits, and how far it has come.

The order itself stays Oscar's (lines, totals, payment sources, status); this row says which
showroom holds it and the pick-up's own steps, which Oscar's order status does not have:
waiting for the producer's goods → ready on the shelf → collected (or expired, not collected
in time). Written only by pickups/services.py.
"""
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    WAITING = "waiting", _("Waiting for goods")
    READY = "ready", _("Ready to collect")
    COLLECTED = "collected", _("Collected")
    EXPIRED = "expired", _("Expired")


class Pickup(models.Model):
    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="pickup",
                                 verbose_name=_("Order"))
    showroom = models.ForeignKey("showrooms.Showroom", on_delete=models.PROTECT, related_name="pickups",
                                 verbose_name=_("Showroom"))
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.WAITING,
                             db_index=True)
    # Every line was reserved on the showroom's shelf when the order was placed (ready the same day).
    from_shelf = models.BooleanField(_("Reserved on the shelf"), default=False)
    # Digits only (0912345678), so the counter finds "0912 345 678" and "+84912345678" alike.
    phone = models.CharField(_("Phone"), max_length=20, blank=True, db_index=True)
    created_at = models.DateTimeField(_("Created"), auto_now_add=True)
    ready_at = models.DateTimeField(_("Ready since"), null=True, blank=True)
    ready_notified_at = models.DateTimeField(_("Shopper told it is ready"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("Shopper reminded"), null=True, blank=True)
    collected_at = models.DateTimeField(_("Collected"), null=True, blank=True)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("Handed over by"))
    expired_at = models.DateTimeField(_("Expired"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("Pick-up")
        verbose_name_plural = _("Pick-ups")
        indexes = [models.Index(fields=["showroom", "state"], name="pickup_showroom_state")]

    def __str__(self):
        return f"{self.order_id} @ {self.showroom_id} ({self.state})"

    @property
    def collect_by(self):
        """When a ready order not yet collected is cancelled (PICKUP_HOLD_DAYS after it was ready)."""
        return self.ready_at + dt.timedelta(days=settings.PICKUP_HOLD_DAYS) if self.ready_at else None

    @property
    def expires_at(self):
        """When this pick-up is cancelled unless it moves on first: a ready one at collect_by, one still
        waiting for the producer's goods PICKUP_GOODS_DAYS after it was placed; None once collected or
        expired. pickups.services.overdue() is the same rule as a query."""
        if self.state == State.READY:
            return self.collect_by
        if self.state == State.WAITING and self.created_at:
            return self.created_at + dt.timedelta(days=settings.PICKUP_GOODS_DAYS)
        return None


class Receipt(models.Model):
    """Goods a producer brought to the showroom for one pick-up order (the lines received)."""

    pickup = models.ForeignKey(Pickup, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("Pick-up"))
    line = models.OneToOneField("order.Line", on_delete=models.PROTECT, related_name="pickup_receipt",
                                verbose_name=_("Order line"))
    quantity = models.PositiveIntegerField(_("Quantity"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("Received by"))
    received_at = models.DateTimeField(_("Received"), auto_now_add=True)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("Goods received for a pick-up")
        verbose_name_plural = _("Goods received for pick-ups")

"""The outbox: one row per notification a producer must receive, written where the event happens."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEW_ORDER = "new_order", _("New order")
    LOW_STOCK = "low_stock", _("Low stock")
    CERT_EXPIRY = "cert_expiry", _("Certificate expiring")
    SHELF_TRANSFER = "shelf_transfer", _("Goods on a showroom shelf")
    PAYOUT = "payout", _("Payout and statement")  # settlement/mail.py
    BANK_ACCOUNT = "bank_account", _("Bank account changed")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")


class NotificationQuerySet(models.QuerySet):
    def for_partner(self, partner):
        return self.filter(partner=partner)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def pending(self):
        return self.filter(status=Status.PENDING)


class Notification(models.Model):
    """A notification to a producer (partner): an e-mail to its users and a notice in the portal.

    `dedupe_key` is unique: however many times an order is placed, a signal fires or a task runs,
    there is one row per event and producer, so one e-mail. `payload` is what the e-mail and the
    notice show, frozen when the event happened."""

    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    partner = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="notifications",
                                verbose_name=_("Producer"))
    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="producer_notifications", verbose_name=_("Order"))
    dedupe_key = models.CharField(max_length=128, unique=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("Status"), max_length=8, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    attempts = models.PositiveIntegerField(_("Attempts"), default=0)
    last_error = models.TextField(_("Last error"), blank=True)
    recipients = models.TextField(_("Recipients"), blank=True)
    created_at = models.DateTimeField(_("Created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("Sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("Read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Producer notification")
        verbose_name_plural = _("Producer notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partner", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.kind} · {self.partner_id} · {self.dedupe_key}"

"""The outbox: one row per notification a producer must receive, written where the event happens."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEW_ORDER = "new_order", _("New order")
    LOW_STOCK = "low_stock", _("Low stock")
    CERT_EXPIRY = "cert_expiry", _("Certificate expiring")
    SHELF_TRANSFER = "shelf_transfer", _("Goods on a showroom shelf")
    # An order's life at the door (shop/order/lifecycle.py), told to the producers whose lines moved.
    DELIVERED = "delivered", _("Delivered to the shopper")
    REFUSED = "refused", _("Refused at the door")
    RETURN = "return", _("Return accepted")
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


# ---------------------------------------------------------------------------------------------
# Messages by channel: every customer message (e-mail, Zalo, SMS) and producers' Zalo/SMS.


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    ZNS = "zns", _("Zalo")
    SMS = "sms", _("SMS")


# Zalo ZNS and SMS are paid per message: never sent twice for one event (see notifications/delivery.py).
COST_BEARING = (Channel.ZNS, Channel.SMS)


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed: needs a person")
    SKIPPED = "skipped", _("Not needed any more")


class MessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=MessageStatus.PENDING)

    def failed(self):
        return self.filter(status=MessageStatus.FAILED)


class Message(models.Model):
    """One message about one event to one person by one channel: the outbox row.

    `key` is unique (event, subject and channel): however often an event is queued, a task runs or
    beat re-sends, a paid Zalo or SMS message exists once per event and channel. `payload` is what the
    message says, frozen when the event happened; `last_error` tells staff why a message failed."""

    event = models.CharField(_("Event"), max_length=40)
    channel = models.CharField(_("Channel"), max_length=8, choices=Channel.choices)
    key = models.CharField(max_length=200, unique=True)
    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="messages", verbose_name=_("Order"))
    partner = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="messages", verbose_name=_("Producer"))
    recipient = models.CharField(_("Recipient"), max_length=254, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, default="vi")
    status = models.CharField(_("Status"), max_length=8, choices=MessageStatus.choices,
                              default=MessageStatus.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("Attempts"), default=0)
    last_error = models.TextField(_("Last error"), blank=True)
    provider_ref = models.CharField(_("Provider's id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("Created"), auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("Sent"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("Message")
        verbose_name_plural = _("Messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.event} · {self.channel} · {self.recipient}"


class ContactPreference(models.Model):
    """How a shopper (user) or a producer (partner) wants to hear from the shop. Without a row: e-mail
    only. Guests have no row: they are reached by the e-mail and phone they gave at checkout."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="contact_preference")
    partner = models.OneToOneField("partner.Partner", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="contact_preference")
    by_email = models.BooleanField(_("E-mail"), default=True)
    by_zalo = models.BooleanField(_("Zalo"), default=False)
    by_sms = models.BooleanField(_("SMS"), default=False)
    phone = models.CharField(_("Mobile phone"), max_length=20, blank=True,
                             help_text=_("For Zalo and SMS, e.g. 0912 345 678."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Contact preference")
        verbose_name_plural = _("Contact preferences")
        constraints = [models.CheckConstraint(
            condition=models.Q(user__isnull=False, partner__isnull=True)
            | models.Q(user__isnull=True, partner__isnull=False), name="contact_preference_one_owner")]

    def channels(self) -> list[str]:
        chosen = [(self.by_email, Channel.EMAIL), (self.by_zalo, Channel.ZNS), (self.by_sms, Channel.SMS)]
        return [channel for on, channel in chosen if on]


class ZaloToken(models.Model):
    """The Zalo OA's current access token and the refresh token that replaces it. Zalo's refresh
    token is single-use (each refresh returns a new one), so it cannot live only in the environment:
    ZALO_OA_ACCESS_TOKEN/ZALO_OA_REFRESH_TOKEN seed this row, refreshes update it."""

    access_token = models.TextField()
    refresh_token = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Zalo token")

"""What the shop remembers of Stripe: the Checkout Sessions it opened and the webhook events it saw.

The order is found from the session id stored here, never from the metadata of an incoming event
alone. Money itself is recorded with Oscar's payment sources and events (shop/order/services.py).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class StripeCheckout(models.Model):
    """One attempt to have an order paid by card: one Stripe Checkout Session.

    The row is written before Stripe is called, so a retry of the same attempt sends the same
    idempotency key with the same parameters and Stripe answers with the same session."""

    CREATING, OPEN, PROCESSING, PAID, FAILED, EXPIRED, MISMATCH = (
        "creating", "open", "processing", "paid", "failed", "expired", "mismatch")
    STATUS_CHOICES = [
        (CREATING, _("Not created yet")),  # Stripe has not answered (yet): the attempt can be retried
        (OPEN, _("Open")),
        (PROCESSING, _("Card payment being confirmed")),  # session complete, the bank has not confirmed yet
        (PAID, _("Paid by card")),
        (FAILED, _("Card payment failed")),
        (EXPIRED, _("Expired")),
        (MISMATCH, _("Card amount does not match")),
    ]

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="stripe_checkouts")
    attempt = models.PositiveSmallIntegerField()
    session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    url = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=CREATING)
    amount = models.PositiveBigIntegerField(help_text=_("Whole đồng (VND has no minor unit)"))
    currency = models.CharField(max_length=3, default="vnd")
    expires_at = models.DateTimeField()
    payment_intent = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "payment"
        ordering = ["order", "-attempt"]
        constraints = [models.UniqueConstraint(fields=["order", "attempt"], name="stripe_checkout_one_per_attempt")]
        verbose_name = _("Stripe checkout session")
        verbose_name_plural = _("Stripe checkout sessions")

    def __str__(self):
        return f"{self.order.number} #{self.attempt} {self.session_id or '-'} ({self.status})"

    @property
    def idempotency_key(self) -> str:
        return f"ocop-order-{self.order.number}-session-{self.attempt}"


class StripeEvent(models.Model):
    """A webhook event received with a valid signature. The unique event id makes a replay harmless."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)
    handled = models.BooleanField(default=False, help_text=_("False when the event matched no order of this shop"))
    order = models.ForeignKey("order.Order", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="stripe_events")
    outcome = models.CharField(max_length=255, blank=True)

    class Meta:
        app_label = "payment"
        ordering = ["-received_at"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self):
        return f"{self.event_id} {self.type}"

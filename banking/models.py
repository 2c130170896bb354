"""Every bank transfer the notification service told us about, matched or not.

One row per (provider, transaction id): the service retries a notification up to 7 times, and
the unique constraint makes the second and later deliveries harmless. A row is never deleted;
what could not be matched stays listed for the office until someone resolves it by hand.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BankTransfer(models.Model):
    MATCHED, UNMATCHED, RESOLVED, IGNORED = "matched", "unmatched", "resolved", "ignored"
    STATUS_CHOICES = [
        (MATCHED, _("Matched to its order")),
        (UNMATCHED, _("To resolve by hand")),
        (RESOLVED, _("Resolved by hand")),
        (IGNORED, _("Money out (not a payment)")),
    ]
    # Why a transfer was not matched: what the office reads first.
    NO_ORDER_NUMBER = "no_order_number"
    UNKNOWN_ORDER = "unknown_order"
    AMBIGUOUS = "ambiguous"
    UNDERPAID = "underpaid"
    OVERPAID = "overpaid"
    ALREADY_PAID = "already_paid"
    CANCELLED = "cancelled"
    NOT_A_TRANSFER_ORDER = "not_transfer_order"
    BAD_AMOUNT = "bad_amount"
    OTHER_ACCOUNT = "other_account"
    UNREADABLE = "unreadable"
    REASON_CHOICES = [
        (NO_ORDER_NUMBER, _("No order number in the note")),
        (UNKNOWN_ORDER, _("The note names no order of this shop")),
        (AMBIGUOUS, _("The note names several orders")),
        (UNDERPAID, _("Less than the order's total")),
        (OVERPAID, _("More than the order's total")),
        (ALREADY_PAID, _("The order was already paid")),
        (CANCELLED, _("The order is cancelled")),
        (NOT_A_TRANSFER_ORDER, _("The order is not paid by bank transfer")),
        (BAD_AMOUNT, _("The amount is not a whole number of đồng")),
        (OTHER_ACCOUNT, _("Sent to another account")),
        (UNREADABLE, _("The notification could not be read")),
    ]

    provider = models.CharField(_("Service"), max_length=16, default="sepay")
    transaction_id = models.CharField(_("Transaction id"), max_length=128)
    gateway = models.CharField(_("Bank"), max_length=64, blank=True)
    transaction_date = models.CharField(_("Transaction date"), max_length=32, blank=True,
                                        help_text=_("As the bank gave it (Vietnam time)"))
    account_number = models.CharField(_("Account number"), max_length=64, blank=True)
    content = models.TextField(_("Transfer note"), blank=True)
    transfer_type = models.CharField(_("Direction"), max_length=8, blank=True)
    amount = models.DecimalField(_("Amount"), max_digits=14, decimal_places=0, null=True, blank=True)
    reference_code = models.CharField(_("Bank reference"), max_length=128, blank=True)
    payload = models.JSONField(_("Notification as received"), default=dict)
    received_at = models.DateTimeField(_("Received"), auto_now_add=True, db_index=True)

    order_number = models.CharField(_("Order number in the note"), max_length=64, blank=True, db_index=True)
    order = models.ForeignKey("order.Order", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="bank_transfers", verbose_name=_("Order"))
    status = models.CharField(_("Status"), max_length=12, choices=STATUS_CHOICES, db_index=True)
    reason = models.CharField(_("Reason"), max_length=24, choices=REASON_CHOICES, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("Resolved by"))
    resolved_at = models.DateTimeField(_("Resolved at"), null=True, blank=True)
    resolution = models.TextField(_("How it was resolved"), blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["provider", "transaction_id"],
                                               name="bank_transfer_once_per_transaction")]
        verbose_name = _("Bank transfer")
        verbose_name_plural = _("Bank transfers")

    def __str__(self):
        return f"{self.provider}:{self.transaction_id} {self.amount} ({self.status})"

    @property
    def payment_reference(self) -> str:
        """The reference the payment is recorded under: unique per bank transaction."""
        return f"{self.provider}-{self.transaction_id}"[:128]

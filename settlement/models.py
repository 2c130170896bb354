"""The producer ledger and what feeds and empties it.

Entry: one append-only row per money movement, whole đồng, signed (credit > 0, debit < 0). A
producer's balance is the sum of their rows; a mistake is corrected by a new row, never by an edit
(save refuses an update, delete and queryset update/delete refuse outright). `key` is unique: the
same event recorded twice (a retried request, two staff at once) writes nothing the second time.

CommissionRule: what the office keeps, by producer and channel, from a date; the rate in force is
copied onto each commission row, so a new rule never rewrites the past.

BankAccount / BankAccountChange: where a producer is paid, and every change to it.

PayoutRun / Payout: the office's transfers for a period; a payout's ledger row is written when it
is marked paid, under the producer's row lock, and a payout can be paid once.
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import banks


class AppendOnly(Exception):
    """A ledger row (or a frozen record) was asked to change."""


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("Showroom counter")


class Kind(models.TextChoices):
    SALE = "sale", _("Sale")
    COMMISSION = "commission", _("Commission")
    SHIPPING = "shipping", _("Shipping fee share")
    PAYMENT_FEE = "payment_fee", _("Payment fee")
    RETURN = "return", _("Return or refund")
    COMMISSION_BACK = "commission_back", _("Commission returned")
    PAYMENT_FEE_BACK = "payment_fee_back", _("Payment fee returned")
    PAYOUT = "payout", _("Payout")


EARNINGS = (Kind.SALE, Kind.COMMISSION, Kind.SHIPPING, Kind.PAYMENT_FEE)  # what a sale brings in
REVERSALS = (Kind.RETURN, Kind.COMMISSION_BACK, Kind.PAYMENT_FEE_BACK)


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("ledger rows are never updated")

    def delete(self):
        raise AppendOnly("ledger rows are never deleted")

    def balance(self) -> int:
        return int(self.aggregate(total=models.Sum("amount"))["total"] or 0)


class Entry(models.Model):
    producer = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="ledger_entries",
                                 verbose_name=_("Producer"))
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    amount = models.BigIntegerField(_("Amount (đồng)"))
    # The rows one event wrote share `event` (a line delivered, a counter line sold, a return).
    event = models.CharField(_("Event"), max_length=80, db_index=True)
    key = models.CharField(max_length=100, unique=True)
    channel = models.CharField(_("Channel"), max_length=8, choices=Channel.choices, blank=True)
    showroom = models.ForeignKey("showrooms.Showroom", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("Showroom"))
    order = models.ForeignKey("order.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("Order"))
    line = models.ForeignKey("order.Line", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("Order line"))
    quantity = models.IntegerField(_("Quantity"), default=0)
    base = models.BigIntegerField(_("Base (đồng)"), default=0, help_text=_("What a commission or fee was taken on."))
    rate = models.DecimalField(_("Rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    payout = models.ForeignKey("settlement.Payout", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="entries", verbose_name=_("Payout"))
    reference = models.CharField(_("Document"), max_length=64, blank=True)
    occurred_at = models.DateTimeField(_("When"), db_index=True)
    created_at = models.DateTimeField(_("Recorded"), auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ("occurred_at", "pk")
        verbose_name = _("Ledger entry")
        verbose_name_plural = _("Ledger entries")
        indexes = [models.Index(fields=["producer", "occurred_at"], name="settlement_entry_producer_time")]

    def __str__(self):
        return f"{self.producer_id} {self.kind} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("ledger rows are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("ledger rows are never deleted")


def validate_rate(value):
    if value is None or not (Decimal(0) <= Decimal(value) <= Decimal(100)):
        raise ValidationError(_("A commission rate is between 0 and 100 %."), code="rate")


class CommissionRule(models.Model):
    """A rate from a date, for everyone or a producer, on every channel, online, the counters or one
    showroom. The most specific rule in force wins: producer before showroom before channel."""

    producer = models.ForeignKey("partner.Partner", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="commission_rules", verbose_name=_("Producer"),
                                 help_text=_("Empty: every producer."))
    channel = models.CharField(_("Channel"), max_length=8, choices=Channel.choices, blank=True,
                               help_text=_("Empty: every channel."))
    showroom = models.ForeignKey("showrooms.Showroom", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("Showroom"),
                                 help_text=_("Only for sales at this showroom's counter."))
    rate = models.DecimalField(_("Commission (%)"), max_digits=5, decimal_places=2, validators=[validate_rate])
    effective_from = models.DateField(_("Effective from"))
    note = models.CharField(_("Note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("Set by"))
    created_at = models.DateTimeField(_("Set at"), auto_now_add=True)

    class Meta:
        ordering = ("-effective_from", "-pk")
        verbose_name = _("Commission rule")
        verbose_name_plural = _("Commission rules")
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="settlement_rate_0_100"),
            models.CheckConstraint(condition=Q(showroom__isnull=True) | Q(channel="counter"),
                                   name="settlement_showroom_rule_is_counter"),
        ]

    def __str__(self):
        return f"{self.rate}% {self.producer or '*'} {self.channel or '*'} {self.showroom or ''} {self.effective_from}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("a commission rule is never changed: add a new one from a later date")
        super().save(*args, **kwargs)

    @property
    def specificity(self) -> int:
        return 4 * bool(self.producer_id) + 2 * bool(self.showroom_id) + bool(self.channel)


digits_only = RegexValidator(r"^[0-9]{6,19}$", _("An account number is 6 to 19 digits, nothing else."))


class BankAccount(models.Model):
    producer = models.OneToOneField("partner.Partner", on_delete=models.CASCADE, related_name="bank_account",
                                    verbose_name=_("Producer"))
    bank_bin = models.CharField(_("Bank"), max_length=6, choices=banks.choices)
    account_number = models.CharField(_("Account number"), max_length=19, validators=[digits_only])
    holder = models.CharField(_("Account holder"), max_length=100)
    updated_at = models.DateTimeField(_("Changed"), auto_now=True)

    class Meta:
        verbose_name = _("Bank account")
        verbose_name_plural = _("Bank accounts")

    def __str__(self):
        return f"{self.bank_name} {self.account_number} {self.holder}"

    @property
    def bank_name(self) -> str:
        found = banks.bank(self.bank_bin)
        return found.short_name if found else self.bank_bin

    @property
    def masked_number(self) -> str:
        return "•" * max(len(self.account_number) - 4, 0) + self.account_number[-4:]


class BankAccountChange(models.Model):
    """Every save of a producer's bank account: who, when, from what to what."""

    producer = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="bank_account_changes",
                                 verbose_name=_("Producer"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("Changed by"))
    changed_at = models.DateTimeField(_("Changed"), auto_now_add=True)
    before = models.JSONField(_("Before"), default=dict, blank=True)
    after = models.JSONField(_("After"), default=dict)

    class Meta:
        ordering = ("-changed_at", "-pk")
        verbose_name = _("Bank account change")
        verbose_name_plural = _("Bank account changes")


class PayoutRun(models.Model):
    period_start = models.DateField(_("From"))
    period_end = models.DateField(_("To"))
    minimum = models.BigIntegerField(_("Minimum payout (đồng)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("Created by"))
    created_at = models.DateTimeField(_("Created"), auto_now_add=True)

    class Meta:
        ordering = ("-period_end", "-pk")
        verbose_name = _("Payout run")
        verbose_name_plural = _("Payout runs")
        constraints = [models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                              name="settlement_run_period_order"),
                       models.UniqueConstraint(fields=["period_start"], name="settlement_run_start_unique")]

    def __str__(self):
        return f"{self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y}"


class Payout(models.Model):
    PENDING, PAID = "pending", "paid"
    STATUS_CHOICES = [(PENDING, _("To transfer")), (PAID, _("Paid"))]

    run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, related_name="payouts", verbose_name=_("Run"))
    producer = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="payouts",
                                 verbose_name=_("Producer"))
    amount = models.BigIntegerField(_("Amount (đồng)"))
    reference = models.CharField(_("Transfer note"), max_length=25, unique=True)
    # The account as it was when the run was made: what the transfer and its QR code name.
    bank_bin = models.CharField(_("Bank"), max_length=6, blank=True)
    account_number = models.CharField(_("Account number"), max_length=19, blank=True)
    holder = models.CharField(_("Account holder"), max_length=100, blank=True)
    account_changed = models.BooleanField(_("Account changed since the last payout"), default=False)
    status = models.CharField(_("Status"), max_length=8, choices=STATUS_CHOICES, default=PENDING)
    bank_reference = models.CharField(_("Bank reference"), max_length=64, blank=True)
    paid_at = models.DateTimeField(_("Paid"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("Marked paid by"))

    class Meta:
        ordering = ("run", "producer__name")
        verbose_name = _("Payout")
        verbose_name_plural = _("Payouts")
        constraints = [
            models.UniqueConstraint(fields=["run", "producer"], name="settlement_one_payout_per_run"),
            models.UniqueConstraint(fields=["bank_reference"], condition=~Q(bank_reference=""),
                                    name="settlement_bank_reference_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="settlement_payout_positive"),
        ]

    def __str__(self):
        return self.reference

    @property
    def bank_name(self) -> str:
        found = banks.bank(self.bank_bin)
        return found.short_name if found else self.bank_bin

    @property
    def is_paid(self) -> bool:
        return self.status == self.PAID

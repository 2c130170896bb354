"""Ledger rows and payouts are read in the admin, never written there: the services write them."""
from django.contrib import admin

from .models import BankAccount, BankAccountChange, CommissionRule, Entry, Payout, PayoutRun


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ("occurred_at", "producer", "kind", "amount", "channel", "reference", "rate")
    list_filter = ("kind", "channel")
    search_fields = ("reference", "producer__name", "event")
    raw_id_fields = ("order", "line", "payout")


@admin.register(CommissionRule)
class CommissionRuleAdmin(ReadOnly):
    list_display = ("effective_from", "rate", "producer", "channel", "showroom", "created_by")


@admin.register(BankAccount)
class BankAccountAdmin(ReadOnly):
    list_display = ("producer", "bank_name", "masked_number", "holder", "updated_at")


@admin.register(BankAccountChange)
class BankAccountChangeAdmin(ReadOnly):
    list_display = ("producer", "changed_at", "changed_by")


@admin.register(PayoutRun)
class PayoutRunAdmin(ReadOnly):
    list_display = ("period_start", "period_end", "minimum", "created_by", "created_at")


@admin.register(Payout)
class PayoutAdmin(ReadOnly):
    list_display = ("reference", "producer", "amount", "status", "bank_reference", "paid_at")
    list_filter = ("status",)

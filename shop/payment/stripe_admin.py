"""Stripe sessions and webhook events in Django's admin: read-only, for looking into a payment."""
from django.contrib import admin

from .stripe_models import StripeCheckout, StripeEvent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StripeCheckout)
class StripeCheckoutAdmin(ReadOnly):
    list_display = ("order", "attempt", "session_id", "status", "amount", "expires_at", "created_at")
    list_filter = ("status",)
    search_fields = ("order__number", "session_id", "payment_intent")


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnly):
    list_display = ("event_id", "type", "order", "handled", "outcome", "received_at")
    list_filter = ("type", "handled")
    search_fields = ("event_id", "order__number")

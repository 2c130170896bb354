from django.contrib import admin

from .models import BankTransfer


@admin.register(BankTransfer)
class BankTransferAdmin(admin.ModelAdmin):
    """View only: transfers are written by the webhook and resolved on the office's page."""

    list_display = ("received_at", "transaction_id", "amount", "content", "status", "reason", "order")
    list_filter = ("status", "reason", "provider")
    search_fields = ("transaction_id", "content", "order_number", "reference_code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Read-mostly admin of the counter's records, for the office to look things up."""
from django.contrib import admin

from .models import CashMovement, PosSale, Shift, StocktakeLine, Transfer, TransferLine


class CashMovementInline(admin.TabularInline):
    model = CashMovement
    extra = 0
    readonly_fields = ("kind", "amount", "reason", "created_at", "refund")
    can_delete = False


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ("showroom", "cashier", "opened_at", "closed_at", "expected", "counted_total", "difference")
    list_filter = ("showroom",)
    readonly_fields = ("opened_at", "counted", "counted_total", "expected", "difference", "closed_at")
    inlines = (CashMovementInline,)


@admin.register(PosSale)
class PosSaleAdmin(admin.ModelAdmin):
    list_display = ("order", "showroom", "cashier", "created_at", "discount")
    list_filter = ("showroom",)
    raw_id_fields = ("order", "shift")


class TransferLineInline(admin.TabularInline):
    model = TransferLine
    extra = 0
    raw_id_fields = ("product",)


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ("showroom", "producer", "reference", "created_at")
    list_filter = ("showroom",)
    inlines = (TransferLineInline,)
    readonly_fields = ("created_at",)

    # Recorded at the counter (/pos/shelf/, pos/stock.py moves the stock with it): never added or
    # edited here, where no stock would move.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StocktakeLine)
class StocktakeAdmin(admin.ModelAdmin):
    list_display = ("showroom", "product", "before", "counted", "reason", "created_at")
    list_filter = ("showroom",)
    readonly_fields = ("created_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

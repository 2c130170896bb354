"""Oscar's partner admin; stock counts are read-only here (they change only through the stock ledger,
shop/partner/stock.py), and the ledger itself is shown, never edited."""
from django.contrib import admin
from oscar.apps.partner.admin import *  # noqa: F403
from oscar.apps.partner.admin import StockRecordAdmin as OscarStockRecordAdmin
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")
StockMovement = get_model("partner", "StockMovement")


class StockRecordAdmin(OscarStockRecordAdmin):
    readonly_fields = ("num_in_stock", "num_allocated")


admin.site.unregister(StockRecord)
admin.site.register(StockRecord, StockRecordAdmin)


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    list_display = ("created_at", "stockrecord", "reason", "delta_in_stock", "delta_allocated", "in_stock_after",
                    "actor")
    list_filter = ("reason",)
    search_fields = ("stockrecord__partner_sku",)
    list_select_related = ("stockrecord", "actor")
    raw_id_fields = ("stockrecord", "order_line", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

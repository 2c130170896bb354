from django.contrib import admin

from .models import CarrierArea, CodPayout, Shipment


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("created_at", "carrier", "waybill", "order", "partner", "status", "cod_amount", "last_heard_at")
    list_filter = ("carrier", "status")
    search_fields = ("waybill", "order__number")
    readonly_fields = [f.name for f in Shipment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CarrierArea)
class CarrierAreaAdmin(admin.ModelAdmin):
    """Editable: a ward the sync could not match is mapped here by hand."""

    list_display = ("carrier", "ward_code", "carrier_province", "carrier_district", "carrier_ward")
    list_filter = ("carrier",)
    search_fields = ("ward_code", "carrier_ward")


@admin.register(CodPayout)
class CodPayoutAdmin(admin.ModelAdmin):
    list_display = ("imported_at", "carrier", "statement", "waybill", "amount", "fee")
    list_filter = ("carrier",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

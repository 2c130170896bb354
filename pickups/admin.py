from django.contrib import admin

from .models import Pickup, Receipt


class ReceiptInline(admin.TabularInline):
    model = Receipt
    extra = 0
    readonly_fields = ("line", "quantity", "received_by", "received_at")
    can_delete = False


@admin.register(Pickup)
class PickupAdmin(admin.ModelAdmin):
    list_display = ("order", "showroom", "state", "from_shelf", "ready_at", "collected_at")
    list_filter = ("state", "showroom")
    search_fields = ("order__number", "phone")
    readonly_fields = [f.name for f in Pickup._meta.fields]
    inlines = [ReceiptInline]

    def has_add_permission(self, request):
        return False  # made with the order, by pickups.services.open_pickup

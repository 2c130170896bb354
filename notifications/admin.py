from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """For the operator: what is stuck (pending, attempts, last_error) and to whom it went."""

    list_display = ("created_at", "kind", "partner", "order", "status", "attempts", "sent_at", "recipients")
    list_filter = ("status", "kind")
    search_fields = ("dedupe_key", "partner__name", "order__number", "recipients")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False  # the outbox writes notices with the order they tell of; a hand-made one has none

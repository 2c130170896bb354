from django.contrib import admin

from .models import ContactPreference, Message, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """For the operator: what is stuck (pending, attempts, last_error) and to whom it went."""

    list_display = ("created_at", "kind", "partner", "order", "status", "attempts", "sent_at", "recipients")
    list_filter = ("status", "kind")
    search_fields = ("dedupe_key", "partner__name", "order__number", "recipients")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False  # the outbox writes notices with the order they tell of; a hand-made one has none


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """For staff: every customer message and producer Zalo/SMS, and why one failed (filter "Failed: needs
    a person"). Read-only: the outbox writes them with their event, and a paid message is never sent
    twice, so staff re-send one by hand with the provider, not from here."""

    list_display = ("created_at", "event", "channel", "recipient", "order", "partner", "status", "attempts",
                    "last_error", "sent_at")
    list_filter = ("status", "channel", "event")
    search_fields = ("key", "recipient", "order__number", "partner__name", "last_error")
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContactPreference)
class ContactPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "partner", "by_email", "by_zalo", "by_sms", "phone", "updated_at")
    search_fields = ("user__email", "partner__name", "phone")
    raw_id_fields = ("user", "partner")

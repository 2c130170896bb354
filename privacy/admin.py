from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Anonymisation, Consent, DeletionRequest, StaffAccess


class ReadOnly(admin.ModelAdmin):
    """Records of what happened: staff read them, nobody writes or deletes them by hand."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnly):
    list_display = ("given_at", "purpose", "notice_version", "user", "order", "email")
    list_filter = ("purpose", "notice_version")
    search_fields = ("email", "order__number", "user__email")


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ReadOnly):
    list_display = ("requested_at", "user_id_erased", "completed_at")


@admin.register(Anonymisation)
class AnonymisationAdmin(ReadOnly):
    list_display = ("done_at", "order", "reason")


@admin.register(StaffAccess)
class StaffAccessAdmin(ReadOnly):
    list_display = ("at", "staff_email", "page", "subject", "method", "path")
    list_filter = ("page",)
    search_fields = ("staff__email", "subject", "path")

    @admin.display(description=_("Staff member"), ordering="staff__email")
    def staff_email(self, access):
        return access.staff.email or access.staff.get_username()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff")

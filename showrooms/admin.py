from django.contrib import admin

from audit.admin import SuperuserOnlyRights

from .models import Showroom, ShowroomStaff


class ShowroomStaffInline(SuperuserOnlyRights, admin.TabularInline):
    """Who works the counter is a right: superusers change it, office staff see it (issue 20)."""

    model = ShowroomStaff
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(Showroom)
class ShowroomAdmin(admin.ModelAdmin):
    list_display = ("name", "commune", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "street", "phone")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("partner",)  # made on first use (Showroom.shelf_partner)
    inlines = (ShowroomStaffInline,)


@admin.register(ShowroomStaff)
class ShowroomStaffAdmin(SuperuserOnlyRights, admin.ModelAdmin):
    list_display = ("user", "showroom", "role", "can_discount")
    list_filter = ("showroom", "role")

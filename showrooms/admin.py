from django.contrib import admin

from .models import Showroom, ShowroomStaff


class ShowroomStaffInline(admin.TabularInline):
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
class ShowroomStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "showroom", "role", "can_discount")
    list_filter = ("showroom", "role")

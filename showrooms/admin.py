from django.contrib import admin

from .models import Showroom


@admin.register(Showroom)
class ShowroomAdmin(admin.ModelAdmin):
    list_display = ("name", "commune", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "street", "phone")
    prepopulated_fields = {"slug": ("name",)}

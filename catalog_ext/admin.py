from django.contrib import admin

from .models import Certificate, GeographicalIndication, GIAreaUnit, GILicence


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "product", "stars", "score", "level", "issued_on", "expires_on", "revoked_on")
    list_filter = ("stars", "level")
    search_fields = ("number", "product__title")
    raw_id_fields = ("product",)


class GIAreaInline(admin.TabularInline):
    model = GIAreaUnit
    extra = 0


@admin.register(GeographicalIndication)
class GIAdmin(admin.ModelAdmin):
    list_display = ("name", "registration_number", "registered_on", "managing_body")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [GIAreaInline]


@admin.register(GILicence)
class GILicenceAdmin(admin.ModelAdmin):
    list_display = ("number", "gi", "producer", "issued_on", "expires_on", "revoked_on")
    list_filter = ("gi",)

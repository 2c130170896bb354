from django.contrib import admin

from .models import SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """The OCOP office's list of words shoppers type and what the catalogue calls them."""

    list_display = ("term", "means")
    search_fields = ("term", "means")
    ordering = ("term", "means")

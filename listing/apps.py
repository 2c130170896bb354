from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingConfig(AppConfig):
    """Listing and search: the listing query, filters and facets, ranking, suggestions, product
    cards and the page cache. It reads catalogue and OCOP data; its one model is the office's list
    of search synonyms (listing.synonyms)."""

    name = "listing"
    verbose_name = _("Listing and search")

    def ready(self):
        from . import synonyms, visitor_versions

        synonyms.connect_receivers()
        visitor_versions.connect_receivers()

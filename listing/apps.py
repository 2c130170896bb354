from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingConfig(AppConfig):
    """Listing and search: the listing query, filters and facets, ranking, suggestions, product
    cards and the page cache. No models of its own (it reads catalogue and OCOP data)."""

    name = "listing"
    verbose_name = _("Listing and search")

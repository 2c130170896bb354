from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    """The shopper's side of OCOP Market: layout, home page, pictures, search-engine metadata."""

    name = "storefront"
    verbose_name = _("Storefront")

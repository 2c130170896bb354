from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogExtConfig(AppConfig):
    """OCOP data on top of Oscar's catalogue: certificates, GI registry, badges, folded search."""

    name = "catalog_ext"
    verbose_name = _("OCOP")

    def ready(self):
        from . import badge_periods, cache

        cache.connect_receivers()  # pages and cards cached by catalogue state learn of every change
        badge_periods.connect_receivers()  # badges today are rows kept in step with certificates

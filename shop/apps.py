from django.apps import AppConfig


class ShopProjectConfig(AppConfig):
    """The project package itself: housekeeping tasks and operational commands (preflight)."""

    name = "shop"
    label = "ocop_shop"
    verbose_name = "OCOP Market"

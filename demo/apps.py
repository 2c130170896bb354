from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The Sơn La demo catalogue and the synthetic benchmark seeder."""

    name = "demo"
    verbose_name = _("Demo data")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PickupsConfig(AppConfig):
    name = "pickups"
    verbose_name = _("Showroom pick-ups")
    default_auto_field = "django.db.models.AutoField"

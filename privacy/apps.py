from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Shoppers' personal data under Decree 13/2023/NĐ-CP: the notice's version, consent records,
    export, account closing, anonymising after the retention period, and the log of staff reading
    customer data. Reads Oscar's models through get_model; imports nothing else of ours."""

    name = "privacy"
    verbose_name = _("Personal data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers

        receivers.connect()

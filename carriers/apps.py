from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarriersConfig(AppConfig):
    """Parcel carriers (GHN, GHTK): quotes at checkout, waybills, status webhooks, COD payouts."""

    name = "carriers"
    verbose_name = _("Carriers")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankingConfig(AppConfig):
    """Bank transfers that confirm themselves: a bank-notification service (SePay) tells the shop
    that money arrived, and the transfer is matched to its order by the note."""

    name = "banking"
    verbose_name = _("Bank transfers")
    default_auto_field = "django.db.models.BigAutoField"

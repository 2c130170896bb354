from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    """What each producer is owed: an append-only ledger in whole đồng, commission rules, bank
    accounts and payouts. Below the Oscar forks and the channels (beside notifications): the order
    and counter services call it in their own transactions; it reads orders, lines, partners and
    counter records through get_model only."""

    name = "settlement"
    verbose_name = _("Producer settlement")
    default_auto_field = "django.db.models.BigAutoField"

"""The OCOP vocabularies: product groups, producer kinds, council levels.

Kept free of models so the forked Oscar apps (partner, catalogue) can import them without a cycle.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductGroup(models.TextChoices):
    """The six OCOP product groups (Decision 148/QĐ-TTg, 2023)."""

    FOOD = "food", _("Food")
    BEVERAGE = "beverage", _("Beverages")
    HERBAL = "herbal", _("Herbal products")
    CRAFT = "craft", _("Textiles, garments and handicrafts")
    ORNAMENTAL = "ornamental", _("Ornamental plants and animals")
    TOURISM = "tourism", _("Rural community tourism services")


class ProducerKind(models.TextChoices):
    """The OCOP "subject" (chủ thể) that holds a product's certificate."""

    COOPERATIVE = "cooperative", _("Cooperative")
    ENTERPRISE = "enterprise", _("Enterprise")
    COOP_GROUP = "coop_group", _("Cooperative group")
    HOUSEHOLD = "household", _("Household business")


class CouncilLevel(models.TextChoices):
    """Who rated the product. Since Decision 1489/QĐ-TTg (6 July 2025) the province council rates
    3★ and 4★ and the central council rates 5★; district councils no longer rate."""

    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")

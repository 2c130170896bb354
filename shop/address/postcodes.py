"""Postcode rules for Vietnamese addresses, shared by every address model we fork.

Vietnam's postcodes have five digits since 1 January 2018 (Decision 2475/QĐ-BTTTT, 2017; Sơn La is
34000); Oscar's table still has the old six-digit rule. Few Vietnamese shoppers know their code,
so it is optional (OSCAR_REQUIRED_ADDRESS_FIELDS leaves it out) and checked only when given.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractAddress

POSTCODES_REGEX = {**AbstractAddress.POSTCODES_REGEX, "VN": r"^[0-9]{5}$"}


class VietnamesePostcodes:
    """Mixin for a concrete address model (put it before Oscar's abstract class)."""

    POSTCODES_REGEX = POSTCODES_REGEX


class AdministrativeUnitCodes(models.Model):
    """The codes of the province and ward/commune (`vietnam-provinces`, two levels since 1 July
    2025) behind the names written in `state` and `line4`: names change with mergers, codes let
    shipping zones and reports group addresses reliably. Null for addresses written before."""

    province_code = models.PositiveIntegerField(_("Province code"), null=True, blank=True)
    ward_code = models.PositiveIntegerField(_("Ward or commune code"), null=True, blank=True)

    class Meta:
        abstract = True

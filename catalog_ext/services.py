"""The OCOP office's operations on certificates, GIs and licences: one function each, called by the
dashboard views, the CSV importer and the management command alike.

Every function validates through the model's `full_clean` (the rules live in models.py and rules.py),
so a rule broken here raises the same ValidationError a form shows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import badge_periods, rules
from .models import Certificate, GeographicalIndication, GIAreaUnit, GILicence

# What the office may set on a certificate (the product is fixed once issued; revocation is its own step).
CERTIFICATE_FIELDS = ("stars", "score", "score_a", "score_b", "score_c", "number", "level", "issuer",
                      "issued_on", "expires_on", "potential_five")


def register_certificate(*, product, stars: int, score: int, number: str, issuer: str, level: str,
                         issued_on: dt.date, expires_on: dt.date | None = None, potential_five: bool = False,
                         score_a: int | None = None, score_b: int | None = None,
                         score_c: int | None = None) -> Certificate:
    """Record a certificate the council issued. `expires_on` defaults to 36 months (rules.default_expiry)."""
    certificate = Certificate(
        product=product, stars=stars, score=score, number=number.strip(), issuer=issuer.strip(), level=level,
        issued_on=issued_on, expires_on=expires_on or rules.default_expiry(issued_on),
        potential_five=potential_five, score_a=score_a, score_b=score_b, score_c=score_c)
    certificate.full_clean()
    certificate.save()
    return certificate


def update_certificate(*, certificate: Certificate, changes: dict) -> Certificate:
    """Correct a certificate's recorded facts (a typo in the number, a forgotten part score)."""
    for field, value in changes.items():
        if field not in CERTIFICATE_FIELDS:
            raise ValueError(f"{field!r} cannot be changed on a certificate")
        setattr(certificate, field, value)
    if certificate.issued_on and not certificate.expires_on:
        certificate.expires_on = rules.default_expiry(certificate.issued_on)
    certificate.full_clean()
    certificate.save()
    return certificate


def renew_certificate(*, old: Certificate, stars: int, score: int, number: str, issuer: str, level: str,
                      issued_on: dt.date, expires_on: dt.date | None = None, potential_five: bool = False,
                      score_a: int | None = None, score_b: int | None = None,
                      score_c: int | None = None) -> Certificate:
    """A re-evaluation (renewal, or an upgrade 3★→4★): a NEW certificate for the same product.

    The old one stays on record unchanged; the badge is the newest valid certificate (badges.py), so
    the new one takes over from its issue date with nothing else to update."""
    if issued_on < old.issued_on:
        # The badge is the newest certificate by issue date: an older "renewal" would never show.
        raise ValidationError({"issued_on": _("A renewal cannot be issued before the certificate it renews "
                                              "(%(date)s).") % {"date": old.issued_on.strftime("%d/%m/%Y")}})
    return register_certificate(
        product=old.product, stars=stars, score=score, number=number, issuer=issuer, level=level,
        issued_on=issued_on, expires_on=expires_on, potential_five=potential_five,
        score_a=score_a, score_b=score_b, score_c=score_c)


def revoke_certificate(*, certificate: Certificate, reason: str, on: dt.date | None = None) -> Certificate:
    """Take the certificate (and with it the badge, from `on`) down. The record stays, with its reason."""
    certificate.revoke(reason=reason.strip(), on=on or rules.today())
    return certificate


@transaction.atomic
def save_geographical_indication(*, gi: GeographicalIndication, area: Iterable[int]) -> GeographicalIndication:
    """Save a GI and set its area to exactly these ward/commune codes."""
    gi.full_clean()
    gi.save()
    wanted = {int(code) for code in area}
    gi.area.exclude(ward_code__in=wanted).delete()
    present = set(gi.area.values_list("ward_code", flat=True))
    units = [GIAreaUnit(gi=gi, ward_code=code) for code in sorted(wanted - present)]
    for unit in units:
        unit.full_clean(exclude=["gi"])
    GIAreaUnit.objects.bulk_create(units)
    badge_periods.refresh(badge_periods.products_of_gi(gi.pk))  # bulk_create sends no post_save
    return gi


def save_gi_licence(*, licence: GILicence) -> GILicence:
    """Grant (or correct) a producer's licence to use a GI; the producer must be inside the GI's area."""
    licence.full_clean()
    licence.save()
    return licence


def revoke_gi_licence(*, licence: GILicence, reason: str, on: dt.date | None = None) -> GILicence:
    """Withdraw a GI licence: the producer's products lose the GI tag from `on`."""
    licence.revoked_on = on or rules.today()
    licence.revoked_reason = reason.strip()
    licence.full_clean()
    licence.save(update_fields=["revoked_on", "revoked_reason"])
    return licence

"""What a page may show of a product's OCOP status today: its star badge and its GI tag.

The one place every channel asks (storefront, basket, checkout, e-mails, POS, receipts, QR page).
Listing pages annotate their queryset once (`with_badges`) so a page of 24 products costs no
extra queries; a single product is asked with `badges_for`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from . import rules
from .models import Certificate, GILicence

Product = get_model("catalogue", "Product")


@dataclass(frozen=True)
class Badges:
    stars: int | None = None
    potential_five: bool = False
    certificate_number: str = ""
    gi_slug: str = ""
    gi_name: str = ""

    @property
    def has_stars(self) -> bool:
        return self.stars is not None

    @property
    def star_glyphs(self) -> str:
        return "★" * (self.stars or 0)

    @property
    def has_gi(self) -> bool:
        return bool(self.gi_slug)

    def __bool__(self):
        return self.has_stars or self.has_gi


NONE = Badges()


def current_certificates(on: dt.date):
    """Valid certificates of the outer product, newest issue first: the first one is the badge.
    (The rule in SQL, for `manage.py badge_audit`; pages read the badge periods.)"""
    return Certificate.objects.valid(on).filter(product=OuterRef("pk")).order_by("-issued_on", "-pk")


def licensed_gi(on: dt.date):
    """A valid licence for the outer product's GI, held by its producer, located in the GI's area."""
    return GILicence.objects.valid(on).filter(
        gi=OuterRef("gi"), producer=OuterRef("producer"), gi__area__ward_code=OuterRef("producer__ward_code")
    )


def with_rule_badges(queryset, on: dt.date | None = None):
    """The badge facts straight from certificates and licences (subqueries per product): the
    reference `badge_audit` holds the periods to."""
    on = on or rules.today()
    current = current_certificates(on)
    return queryset.annotate(
        rule_stars=Subquery(current.values("stars")[:1]),
        rule_potential_five=Subquery(current.values("potential_five")[:1]),
        rule_number=Subquery(current.values("number")[:1]),
        rule_gi_ok=Exists(licensed_gi(on)),
    )


def with_badges(queryset, on: dt.date | None = None):
    """Annotate products with the badge facts of `on` (today): one join to the badge period that
    holds that day (catalog_ext/badge_periods.py), at most one per product."""
    if "badge_gi_ok" in queryset.query.annotations:
        return queryset
    on = on or rules.today()
    holding = Q(badge_periods__starts_on__lte=on) & (
        Q(badge_periods__ends_on__isnull=True) | Q(badge_periods__ends_on__gte=on))
    return queryset.annotate(badge_today=FilteredRelation("badge_periods", condition=holding)).annotate(
        badge_stars=F("badge_today__stars"),
        badge_potential_five=Coalesce(F("badge_today__potential_five"), False),
        badge_number=Coalesce(F("badge_today__certificate_number"), Value("")),
        badge_gi_ok=Coalesce(F("badge_today__gi_ok"), False),
    )


def badges_for(product, on: dt.date | None = None) -> Badges:
    """Today's badges of one product. Uses the listing's annotations when present, else one query."""
    if product is None:
        return NONE
    if not hasattr(product, "badge_gi_ok"):
        row = with_badges(Product.objects.filter(pk=product.pk), on).values(
            "badge_stars", "badge_potential_five", "badge_number", "badge_gi_ok", "gi__slug", "gi__name"
        ).first()
        if row is None:
            return NONE
        return _badges(row["badge_stars"], row["badge_potential_five"], row["badge_number"],
                       row["badge_gi_ok"] and row["gi__slug"], row["gi__name"])
    gi = product.gi if product.badge_gi_ok and product.gi_id else None
    return _badges(product.badge_stars, product.badge_potential_five, product.badge_number,
                   gi.slug if gi else "", gi.name if gi else "")


def _badges(stars, potential_five, number, gi_slug, gi_name) -> Badges:
    return Badges(stars=stars, potential_five=bool(potential_five and stars == 4),
                  certificate_number=number or "", gi_slug=gi_slug or "", gi_name=(gi_name or "") if gi_slug else "")


def attach_badges(products, on: dt.date | None = None) -> None:
    """Give products loaded elsewhere (basket, checkout and order lines: Oscar loads those without
    our annotations) today's badge facts in one query, so `badges_for` then needs none."""
    pending = [p for p in products if p is not None and not hasattr(p, "badge_gi_ok")]
    if not pending:
        return
    fresh = with_badges(Product.objects.filter(pk__in={p.pk for p in pending}).select_related("gi"), on)
    by_pk = {p.pk: p for p in fresh}
    for product in pending:
        row = by_pk.get(product.pk)
        if row is None:
            continue
        product.badge_stars, product.badge_potential_five = row.badge_stars, row.badge_potential_five
        product.badge_number, product.badge_gi_ok = row.badge_number, row.badge_gi_ok
        if row.badge_gi_ok and row.gi_id == product.gi_id:
            product.gi = row.gi

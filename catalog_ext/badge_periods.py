"""Each product's badges over time, kept as rows, so "the badge today" is a range test in the one
listing query instead of a subquery per product (three of them, run for every product of the
catalogue in each listing, facet and sort query: 250–800 ms at 100,000 products).

A product's certificates and GI licences change its badge only on the days one is issued, expires
or is revoked. Between two such days the badge is constant: one `BadgePeriod` row per stretch,
`starts_on`..`ends_on` (inclusive, open-ended for the last), holding what the rule says on every
day of it. "Today" is then `starts_on <= today <= ends_on`: exact at midnight, with no task.

The rule itself stays in `catalog_ext.rules` (validity) and here only applies it: the star badge
is the newest valid certificate (issue date, then id); the GI tag needs a valid licence of the
product's producer for the product's GI, with the producer inside the GI's area.

Rows are rebuilt for a product whenever anything they derive from is written: certificates,
licences and a GI's area (post_save/post_delete, cascades included), the product's GI or producer
and the producer's commune (the forks' saves), bulk inserts (`refresh` called by them).
`manage.py badge_audit` recomputes the badges with the rule's own SQL and fails on a difference.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from oscar.core.loading import get_model

from . import rules

DAY = dt.timedelta(days=1)
CHUNK = 2000  # products per refresh batch: bounded memory at 100,000 products


@dataclass(frozen=True)
class Facts:
    """What a page shows on one day: the star badge's certificate and the GI tag."""

    stars: int | None = None
    potential_five: bool = False
    certificate_number: str = ""
    gi_ok: bool = False

    def __bool__(self):
        return self.stars is not None or self.gi_ok


def _change_days(records) -> set[dt.date]:
    """The days on which a record's validity may change (rules.status_on): issue, the day after
    expiry, revocation."""
    days = set()
    for r in records:
        days.add(r.issued_on)
        if r.expires_on is not None:
            days.add(r.expires_on + DAY)
        if r.revoked_on is not None:
            days.add(r.revoked_on)
    return days


def _valid(record, on: dt.date) -> bool:
    return rules.status_on(issued_on=record.issued_on, expires_on=record.expires_on,
                           revoked_on=record.revoked_on, on=on) == "active"


def facts_on(on: dt.date, certificates, licences) -> Facts:
    valid = [c for c in certificates if _valid(c, on)]
    gi_ok = any(_valid(licence, on) for licence in licences)
    if not valid:
        return Facts(gi_ok=gi_ok)
    badge = max(valid, key=lambda c: (c.issued_on, c.pk))
    return Facts(badge.stars, badge.potential_five, badge.number, gi_ok)


def periods(certificates, licences) -> list[tuple[dt.date, dt.date | None, Facts]]:
    """(starts_on, ends_on or None, facts) of every stretch with a badge, adjacent equal ones merged.
    `licences` are those that count for the product (its producer's, for its GI, inside the area)."""
    days = sorted(_change_days(certificates) | _change_days(licences))
    out: list[tuple[dt.date, dt.date | None, Facts]] = []
    for i, start in enumerate(days):
        end = days[i + 1] - DAY if i + 1 < len(days) else None
        facts = facts_on(start, certificates, licences)
        if out and out[-1][2] == facts and out[-1][1] == start - DAY:
            out[-1] = (out[-1][0], end, facts)
        elif facts:
            out.append((start, end, facts))
    return out


def refresh(product_ids: Iterable[int], *, apps=None) -> None:
    """Rebuild the periods of these products, in the caller's transaction. `apps`: a migration's
    historical models (the data migration that fills the table)."""
    ids = sorted({int(pk) for pk in product_ids if pk is not None})
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(ids[start:start + CHUNK], apps)


def refresh_all(*, apps=None) -> None:
    model = apps.get_model if apps else get_model
    refresh(model("catalogue", "Product").objects.values_list("pk", flat=True), apps=apps)


def _refresh_chunk(ids: list[int], apps) -> None:
    model = apps.get_model if apps else get_model
    Product = model("catalogue", "Product")
    Certificate = model("catalog_ext", "Certificate")
    GILicence = model("catalog_ext", "GILicence")
    GIAreaUnit = model("catalog_ext", "GIAreaUnit")
    BadgePeriod = model("catalog_ext", "BadgePeriod")

    products = list(Product.objects.filter(pk__in=ids).values_list("pk", "gi_id", "producer_id", "producer__ward_code"))
    certificates = defaultdict(list)
    for certificate in Certificate.objects.filter(product_id__in=ids):
        certificates[certificate.product_id].append(certificate)
    gis = {gi for _, gi, producer, _ in products if gi and producer}
    producers = {producer for _, gi, producer, _ in products if gi and producer}
    licences = defaultdict(list)
    for licence in GILicence.objects.filter(gi_id__in=gis, producer_id__in=producers):
        licences[(licence.gi_id, licence.producer_id)].append(licence)
    area = set(GIAreaUnit.objects.filter(gi_id__in=gis).values_list("gi_id", "ward_code"))

    rows = []
    for pk, gi, producer, ward in products:
        counting = licences[(gi, producer)] if gi and producer and (gi, ward) in area else []
        for starts_on, ends_on, facts in periods(certificates[pk], counting):
            rows.append(BadgePeriod(product_id=pk, starts_on=starts_on, ends_on=ends_on, stars=facts.stars,
                                    potential_five=facts.potential_five,
                                    certificate_number=facts.certificate_number, gi_ok=facts.gi_ok))
    with transaction.atomic():
        BadgePeriod.objects.filter(product_id__in=ids).delete()
        BadgePeriod.objects.bulk_create(rows, batch_size=1000)


# ---------------------------------------------------------------- what to refresh after a write
def products_of_licence(licence) -> list[int]:
    Product = get_model("catalogue", "Product")
    return list(Product.objects.filter(gi_id=licence.gi_id, producer_id=licence.producer_id)
                .values_list("pk", flat=True))


def products_of_gi(gi_id) -> list[int]:
    Product = get_model("catalogue", "Product")
    return list(Product.objects.filter(gi_id=gi_id).values_list("pk", flat=True))


def products_of_producer(producer_id) -> list[int]:
    Product = get_model("catalogue", "Product")
    return list(Product.objects.filter(producer_id=producer_id).values_list("pk", flat=True))


def connect_receivers() -> None:
    """Certificates, licences and GI areas are written by the office's forms, the importer, the
    admin and cascades: a receiver sees every one of those saves and deletes."""
    from django.db.models.signals import post_delete, post_save

    Certificate = get_model("catalog_ext", "Certificate")
    GILicence = get_model("catalog_ext", "GILicence")
    GIAreaUnit = get_model("catalog_ext", "GIAreaUnit")

    def certificate_changed(sender, instance, **kwargs):
        refresh([instance.product_id])

    def licence_changed(sender, instance, **kwargs):
        refresh(products_of_licence(instance))

    def area_changed(sender, instance, **kwargs):
        refresh(products_of_gi(instance.gi_id))

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(certificate_changed, sender=Certificate, dispatch_uid=f"badge-periods-certificate-{name}")
        signal.connect(licence_changed, sender=GILicence, dispatch_uid=f"badge-periods-licence-{name}")
        signal.connect(area_changed, sender=GIAreaUnit, dispatch_uid=f"badge-periods-area-{name}")


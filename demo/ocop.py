"""Demo step: OCOP data on top of the catalogue — producer profiles, product facts (producer,
group, GI claim), the GI registry with its licences, and certificates with some history.

Every certificate and licence number made here starts with DEMO- (OCOP.md). Dates are relative to
the day the demo is first loaded, so a fresh demo always has valid badges and a few certificates
nearing expiry; a second run finds everything by its number and changes nothing.
"""
from __future__ import annotations

import datetime as dt
import zlib

from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.choices import CouncilLevel
from catalog_ext.models import Certificate, GeographicalIndication, GIAreaUnit, GILicence
from core.places import ward_code

from .data import CERTIFICATE_HISTORY, GIS, ITEMS, LAPSED, PRODUCERS, REVOKED

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

PROVINCE_ISSUER = "UBND tỉnh Sơn La"
CENTRAL_ISSUER = "Bộ Nông nghiệp và Môi trường"


def ensure_profiles() -> dict[str, Partner]:
    partners = {}
    for producer in PRODUCERS:
        partner = Partner.objects.get(code=producer.key)
        wanted = {"kind": producer.kind, "ward_code": ward_code(producer.ward), "phone": producer.phone,
                  "story": producer.story}
        if any(getattr(partner, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(partner, k, v)
            partner.save()
        partners[producer.key] = partner
    return partners


def ensure_gis(partners) -> dict[str, GeographicalIndication]:
    gis = {}
    for entry in GIS:
        gi, _ = GeographicalIndication.objects.get_or_create(slug=entry.slug, defaults={
            "name": entry.name, "registration_number": entry.registration_number,
            "registered_on": dt.date.fromisoformat(entry.registered_on), "managing_body": entry.managing_body,
            "product_kind": entry.product_kind, "description": entry.description})
        for name in entry.area:
            GIAreaUnit.objects.get_or_create(gi=gi, ward_code=ward_code(name))
        for index, key in enumerate(entry.licensees, start=1):
            GILicence.objects.get_or_create(gi=gi, number=f"DEMO-GIL-{entry.slug.upper()[:8]}-{index:02d}", defaults={
                "producer": partners[key], "issued_on": dt.date(2023, 3, 1), "expires_on": dt.date(2028, 2, 29)})
        gis[entry.slug] = gi
    return gis


def ensure_product_facts(partners, gis) -> dict[str, object]:
    """Producer, OCOP group and GI claim of every demo product (found by its demo SKU)."""
    records = StockRecord.objects.filter(partner_sku__in=[i.code for i in ITEMS]).select_related("product")
    products = {r.partner_sku: r.product for r in records}
    for item in ITEMS:
        product = products[item.code]
        wanted = {"producer_id": partners[item.producer].pk, "ocop_group": item.group,
                  "gi_id": gis[item.gi].pk if item.gi else None,
                  "season_months": ",".join(str(m) for m in sorted(item.season))}
        if any(getattr(product, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(product, k, v)
            product.save()
    return products


def _issued_on(code: str, first_loaded: dt.date) -> dt.date:
    """A stable issue date 2–34 months back, spread by SKU; two products near their expiry."""
    if code in ("TE-003", "HN-003"):  # expiring within 30 days: the office list and reminders show them
        return rules.add_months(first_loaded, -rules.VALIDITY_MONTHS) + dt.timedelta(days=12 + len(code))
    return first_loaded - dt.timedelta(days=60 + zlib.crc32(code.encode()) % 960)


def _certificate(product, *, code, stars, score, issued_on, potential_five=False, suffix="") -> Certificate:
    central = stars == 5
    number = f"DEMO-{'TW' if central else 'SL'}-{issued_on.year}-{code.replace('-', '')}{suffix}"
    issuer = CENTRAL_ISSUER if central else PROVINCE_ISSUER
    cert = Certificate.objects.filter(issuer=issuer, number=number).first()
    if cert is None:
        cert = Certificate(product=product, stars=stars, score=score, number=number, issuer=issuer,
                           level=CouncilLevel.CENTRAL if central else CouncilLevel.PROVINCE,
                           issued_on=issued_on, potential_five=potential_five)
        cert.full_clean()
        cert.save()
    return cert


def ensure_certificates(products) -> int:
    # The day the demo was first loaded anchors the dates, so a second run makes the same numbers.
    first = Certificate.objects.order_by("created_at").values_list("created_at", flat=True).first()
    anchor = first.date() if first else rules.today()
    for code, stars, score, issued in CERTIFICATE_HISTORY:
        _certificate(products[code], code=code, stars=stars, score=score, issued_on=dt.date.fromisoformat(issued),
                     suffix="-H")
    for item in ITEMS:
        if item.stars is None:
            continue
        issued = dt.date.fromisoformat(LAPSED[item.code]) if item.code in LAPSED else _issued_on(item.code, anchor)
        cert = _certificate(products[item.code], code=item.code, stars=item.stars, score=item.score,
                            issued_on=issued, potential_five=item.potential_five)
        if item.code in REVOKED and cert.revoked_on is None:
            cert.revoke(reason=REVOKED[item.code], on=anchor)
    return Certificate.objects.count()


def load(stdout=None) -> dict:
    partners = ensure_profiles()
    gis = ensure_gis(partners)
    products = ensure_product_facts(partners, gis)
    certificates = ensure_certificates(products)
    return {"GIs": len(gis), "licences": GILicence.objects.count(), "certificates": certificates}

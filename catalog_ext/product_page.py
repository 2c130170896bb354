"""What the product page (and the QR page) tells a shopper about a product's OCOP record.

The badge itself is always asked of `badges.py`; this module lays out the record behind it: the
current certificate, or the newest one and why it no longer counts, the older ones, the GI and
the producer's licence. A fixed number of queries per product, whatever its history.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import rules
from .badges import Badges, badges_for
from .labels import trace_path
from .models import Certificate, GILicence


@dataclass(frozen=True)
class CertificateEntry:
    certificate: Certificate
    status: str  # "active" | "expired" | "revoked" | "pending" (Certificate.status_on)


@dataclass(frozen=True)
class CertificatePanel:
    current: Certificate | None = None  # the certificate behind today's badge
    lapsed: CertificateEntry | None = None  # no current one: the newest, and why it no longer counts
    history: list[CertificateEntry] = field(default_factory=list)  # every other certificate, newest first

    @property
    def on_record(self) -> bool:
        return bool(self.current or self.lapsed or self.history)

    @property
    def state(self) -> str:
        """"valid", "expired", "revoked" or "none" (never certified, or only a future certificate)."""
        if self.current:
            return "valid"
        if self.lapsed and self.lapsed.status in ("expired", "revoked"):
            return self.lapsed.status
        return "none"


def certificate_panel(product, on: dt.date | None = None, certificates=None) -> CertificatePanel:
    """The product's certificates as of `on` (one query, or none when `certificates` is given).

    The current certificate is the newest valid one, in the order `badges.current_certificates`
    uses, so the panel and the badge always name the same certificate.
    """
    on = on or rules.today()
    if certificates is None:
        certificates = Certificate.objects.filter(product=product).order_by("-issued_on", "-pk")
    entries = [CertificateEntry(c, c.status_on(on)) for c in certificates]
    current = next((e for e in entries if e.status == "active"), None)
    if current:
        return CertificatePanel(current=current.certificate, history=[e for e in entries if e is not current])
    if not entries:
        return CertificatePanel()
    return CertificatePanel(lapsed=entries[0], history=entries[1:])


@dataclass(frozen=True)
class GIPanel:
    gi: object  # GeographicalIndication
    licence: GILicence | None  # the producer's valid licence to use it
    area: list[str]  # names of the wards and communes of the GI's area


def gi_panel(product, badges: Badges, on: dt.date | None = None) -> GIPanel | None:
    """The GI behind the product's GI tag, only while the tag may show (badges_for says so)."""
    if not badges.has_gi or not product.gi_id:
        return None
    on = on or rules.today()
    gi = product.gi
    licence = (GILicence.objects.valid(on).filter(gi_id=product.gi_id, producer_id=product.producer_id)
               .order_by("-issued_on", "-pk").first())
    return GIPanel(gi=gi, licence=licence, area=[unit.name for unit in gi.area.all()])


def product_page_context(product, on: dt.date | None = None) -> dict:
    """Everything the product page's OCOP panels need."""
    on = on or rules.today()
    badges = badges_for(product, on)
    gi = gi_panel(product, badges, on)
    return {
        "ocop_badges": badges,
        "certificate_panel": certificate_panel(product, on),
        "gi_panel": gi,
        "producer": product.producer if product.producer_id and product.producer.is_producer else None,
        "ocop_today": on,
        "trace_url": trace_path(product),
    }

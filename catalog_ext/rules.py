"""The OCOP rules, in one place: star bands, certificate validity, and what counts as "valid today".

Every page, the POS, receipts, e-mails and the QR page ask these (through the model managers and
`catalog_ext.badges`); nothing else decides whether a badge may show.
"""
from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Q
from django.utils import timezone

# A certificate is valid for 36 months from its issue date (Decision 148/QĐ-TTg, 2023).
VALIDITY_MONTHS = 36
# Holders are reminded at least 30 days before expiry (OCOP.md); a last call a week before.
EXPIRY_WARNINGS_DAYS = (30, 7)
# Score bands out of 100 points; below 50 a product is not certified.
STAR_BANDS = {3: (50, 69), 4: (70, 89), 5: (90, 100)}
MIN_CERTIFIED_SCORE = 50


def today() -> dt.date:
    """Today in the shop's time zone (Asia/Ho_Chi_Minh): a badge expires at local midnight."""
    return timezone.localdate()


def stars_for_score(score: int) -> int | None:
    """The star class a total score earns, or None below the certified range."""
    for stars, (low, high) in STAR_BANDS.items():
        if low <= score <= high:
            return stars
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's last day (29 Feb 2024 + 36 → 28 Feb 2027)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def default_expiry(issued_on: dt.date) -> dt.date:
    """Last day of validity: the day before the 36-month anniversary."""
    return add_months(issued_on, VALIDITY_MONTHS) - dt.timedelta(days=1)


def validity_q(on: dt.date, prefix: str = "") -> Q:
    """Database form of "valid on this day": issued, not past expiry, not revoked (yet).

    Shared by certificates and GI licences (same fields). Mirrors `status_on` below: a test keeps
    the two in step.
    """
    p = prefix
    not_expired = Q(**{f"{p}expires_on__isnull": True}) | Q(**{f"{p}expires_on__gte": on})
    not_revoked = Q(**{f"{p}revoked_on__isnull": True}) | Q(**{f"{p}revoked_on__gt": on})
    return Q(**{f"{p}issued_on__lte": on}) & not_expired & not_revoked


def status_on(*, issued_on, expires_on, revoked_on, on: dt.date) -> str:
    """Python form of the same rule, for one record: "revoked", "expired", "pending" or "active"."""
    if revoked_on is not None and revoked_on <= on:
        return "revoked"
    if expires_on is not None and expires_on < on:
        return "expired"
    if issued_on > on:
        return "pending"
    return "active"

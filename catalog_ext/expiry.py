"""Which certificates the office (and the reminder task) should look at: expiring, expired, and
whether a product already has a successor certificate. Built on the querysets' valid/expiring/expired,
never on a status recomputed by hand."""
from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from . import rules
from .models import Certificate

# The office's "expiring" window: the first reminder threshold (30 days, OCOP.md).
EXPIRING_WITHIN_DAYS = max(rules.EXPIRY_WARNINGS_DAYS)


def successor_q(on: dt.date) -> Exists:
    """A newer certificate of the same product that is valid on `on`: the product was renewed."""
    newer = Q(issued_on__gt=OuterRef("issued_on")) | Q(issued_on=OuterRef("issued_on"), pk__gt=OuterRef("pk"))
    return Exists(Certificate.objects.valid(on).filter(newer, product=OuterRef("product")))


def with_renewal(queryset, on: dt.date | None = None):
    """Annotate `renewed` (a newer valid certificate exists) on a certificate queryset."""
    return queryset.annotate(renewed=successor_q(on or rules.today()))


def for_office(queryset):
    return queryset.select_related("product", "product__producer")


def expiring_certificates(*, within_days: int = EXPIRING_WITHIN_DAYS, on: dt.date | None = None):
    """Valid today, ending within `within_days` days, soonest first; `renewed` says which are covered."""
    on = on or rules.today()
    qs = Certificate.objects.expiring(within_days=within_days, on=on)
    return for_office(with_renewal(qs, on)).order_by("expires_on", "pk")


def expired_certificates(*, on: dt.date | None = None):
    """Past their expiry date, most recent first; `renewed` says whether the product has a newer one."""
    on = on or rules.today()
    return for_office(with_renewal(Certificate.objects.expired(on), on)).order_by("-expires_on", "-pk")


def due_for_reminder(*, threshold_days: int, on: dt.date | None = None):
    """Certificates due the reminder of this threshold today: in the threshold's window but not in a
    smaller one (a certificate first seen 5 days before expiry gets the 7-day reminder, not both), not
    renewed, with a producer to tell, and not yet reminded at this threshold."""
    on = on or rules.today()
    qs = Certificate.objects.expiring(within_days=threshold_days, on=on)
    smaller = [t for t in rules.EXPIRY_WARNINGS_DAYS if t < threshold_days]
    if smaller:
        qs = qs.filter(expires_on__gt=on + dt.timedelta(days=max(smaller)))
    return (with_renewal(qs, on).filter(renewed=False, product__producer__isnull=False)
            .exclude(reminders__threshold_days=threshold_days).order_by("expires_on", "pk"))

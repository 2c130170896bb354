"""The producer home's figures, each one query, all scoped to the producer."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog_ext import expiry, rules
from catalog_ext.models import Certificate
from notifications.models import Notification
from shop.order import statuses
from shop.partner.scoping import Order, own_lines, own_products, own_stockrecords

SOLD_STATUSES = (statuses.PROCESSING, statuses.SHIPPED, statuses.DELIVERED)


def orders_to_fulfil(partner):
    """Orders ready to prepare with at least one of the producer's lines not shipped yet, oldest first."""
    waiting = own_lines(partner).exclude(status=statuses.LINE_SHIPPED).filter(order__status=statuses.PROCESSING)
    # The waiting lines are the producer's own: their orders need no second join to the lines (and
    # no DISTINCT over it, 14 ms for a producer of 5,000 products).
    return Order.objects.filter(pk__in=waiting.values("order_id")).order_by("date_placed")


def low_stock(partner):
    """Stock records below their own threshold, emptiest first."""
    return (own_stockrecords(partner).filter(low_stock_threshold__isnull=False)
            .alias(free=F("num_in_stock") - Coalesce(F("num_allocated"), 0))
            .filter(free__lt=F("low_stock_threshold")).select_related("product").order_by("num_in_stock"))


def expiring_certificates(partner, *, on=None):
    return expiry.expiring_certificates(on=on).filter(product__producer=partner)


def month_start(now=None) -> dt.datetime:
    """The start of this (local) month."""
    return timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_lines(partner, start):
    """The producer's own lines in orders placed since `start` that are paid or paid on delivery."""
    return own_lines(partner).filter(order__date_placed__gte=start, order__status__in=SOLD_STATUSES)


def month_sales(partner, *, now=None) -> Decimal:
    """What the producer's month_lines of this (local) month come to."""
    total = month_lines(partner, month_start(now)).aggregate(total=Sum("line_price_incl_tax"))["total"]
    return total or Decimal(0)


def unread_notices(partner):
    return Notification.objects.for_partner(partner).unread()


CERTIFICATE_ROWS = 20


@dataclass
class CertificateRows:
    """The home's certificate list: the `rows` to show; `only_needing_attention` when the producer
    has too many products to list them all, and only those that need them are shown."""

    rows: list
    only_needing_attention: bool


def certificate_status(partner, *, on=None, limit: int = CERTIFICATE_ROWS) -> CertificateRows:
    """The latest OCOP certificate of each of the producer's products, by product title, with its
    status today ("active", "expired", "revoked", "pending") and whether it expires within the
    warning window. A producer with more than `limit` products (some have thousands) gets only those
    that need them (expiring, expired, revoked, not valid yet), `limit` at most: listing thousands of
    valid ones took 1.4 s at 5,000 products, and asking which are valid for all of them 0.1–0.5 s."""
    on = on or rules.today()
    many = own_products(partner)[:limit + 1].count() > limit
    rows = list(latest_certificates(partner, on=on, many=many, limit=limit))
    return certificate_rows(rows, on=on, many=many)


def has_many_products(partner, limit: int = CERTIFICATE_ROWS):
    """A condition: the producer has more than `limit` products (`partner` may be an OuterRef)."""
    return Exists(own_products(partner)[limit:limit + 1])


def latest_certificates(partner, *, on, many: bool, limit: int = CERTIFICATE_ROWS):
    """The query of certificate_status's rows (before their state is worked out)."""
    soon = on + dt.timedelta(days=expiry.EXPIRING_WITHIN_DAYS)
    newer = Certificate.objects.filter(product_id=OuterRef("product_id")).filter(
        Q(issued_on__gt=OuterRef("issued_on")) | Q(issued_on=OuterRef("issued_on"), pk__gt=OuterRef("pk")))
    latest = Certificate.objects.filter(product__producer=partner).exclude(Exists(newer))
    if many:  # valid and not expiring soon: nothing for the producer to do
        latest = latest.exclude(rules.validity_q(on) & (Q(expires_on__isnull=True) | Q(expires_on__gt=soon)))
    return latest.select_related("product").order_by("product__title", "product_id")[:limit]


def certificate_rows(rows: list, *, on, many: bool) -> CertificateRows:
    """Each certificate's state on `on` and whether it expires soon."""
    soon = on + dt.timedelta(days=expiry.EXPIRING_WITHIN_DAYS)
    for certificate in rows:
        certificate.state = certificate.status_on(on)
        certificate.expiring = (certificate.state == "active" and certificate.expires_on is not None
                                and certificate.expires_on <= soon)
    return CertificateRows(rows=rows, only_needing_attention=many)

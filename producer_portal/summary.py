"""The producer home's figures, each one query, all scoped to the producer."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog_ext import expiry, rules
from catalog_ext.models import Certificate
from notifications.models import Notification
from shop.order import statuses
from shop.partner.scoping import own_lines, own_orders, own_stockrecords

SOLD_STATUSES = (statuses.PROCESSING, statuses.SHIPPED, statuses.DELIVERED)


def orders_to_fulfil(partner):
    """Orders ready to prepare with at least one of the producer's lines not shipped yet, oldest first."""
    waiting = own_lines(partner).exclude(status=statuses.LINE_SHIPPED).filter(order__status=statuses.PROCESSING)
    return own_orders(partner).filter(pk__in=waiting.values("order_id")).order_by("date_placed")


def low_stock(partner):
    """Stock records below their own threshold, emptiest first."""
    return (own_stockrecords(partner).filter(low_stock_threshold__isnull=False)
            .alias(free=F("num_in_stock") - Coalesce(F("num_allocated"), 0))
            .filter(free__lt=F("low_stock_threshold")).select_related("product").order_by("num_in_stock"))


def expiring_certificates(partner):
    return expiry.expiring_certificates().filter(product__producer=partner)


def month_sales(partner, *, now=None) -> Decimal:
    """The producer's own lines in orders placed this (local) month that are paid or paid on delivery."""
    now = timezone.localtime(now)
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    total = (own_lines(partner).filter(order__date_placed__gte=start, order__status__in=SOLD_STATUSES)
             .aggregate(total=Sum("line_price_incl_tax"))["total"])
    return total or Decimal(0)


def unread_notices(partner):
    return Notification.objects.for_partner(partner).unread()


def certificate_status(partner, *, on=None) -> list:
    """The latest OCOP certificate of each of the producer's products, with its status today
    ("active", "expired", "revoked", "pending") and whether it expires within the warning window."""
    on = on or rules.today()
    latest = {}
    for certificate in (Certificate.objects.filter(product__producer=partner).select_related("product")
                        .order_by("product__title", "product_id", "-issued_on", "-pk")):
        latest.setdefault(certificate.product_id, certificate)
    soon = on + dt.timedelta(days=expiry.EXPIRING_WITHIN_DAYS)
    for certificate in latest.values():
        certificate.state = certificate.status_on(on)
        certificate.expiring = (certificate.state == "active" and certificate.expires_on is not None
                                and certificate.expires_on <= soon)
    return list(latest.values())

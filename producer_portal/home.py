"""The producer home's reads: summary.py's queries, compiled once (frozen.py), five figures in one.

The producer's row carries the home's four numbers as subqueries of summary's own querysets
(unread notices, this month's sales, whether they have more products than the certificate list
shows); each list is summary's queryset, sliced as the page shows it. Ten queries became seven,
and none is built or compiled again at each request (on PostgreSQL).
"""
from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from catalog_ext import rules
from shop.partner.scoping import Partner, partners_of

from . import summary
from .frozen import Frozen

ORDERS, LOW_STOCK, EXPIRING, NOTICES = 20, 20, 10, 5


def _count(queryset):
    return Coalesce(Subquery(queryset.order_by().values("partner").annotate(n=Count("pk")).values("n")),
                    Value(0), output_field=IntegerField())


def _partner_with_figures(*, user, start):
    """The user's producer (partners_of's first) with the home's numbers."""
    me = OuterRef("pk")
    sales = (summary.month_lines(me, start).order_by().values("partner")
             .annotate(total=Sum("line_price_incl_tax")).values("total"))
    return partners_of(get_user_model()(pk=user)).annotate(
        unread_count=_count(summary.unread_notices(me)),
        month_sales=Subquery(sales),
        many_products=summary.has_many_products(me),
    )[:1]


def _producer_with_unread(*, user):
    """partners_of(user)'s first, with its unread notices counted (every portal page shows them)."""
    return partners_of(get_user_model()(pk=user)).annotate(unread_count=_count(summary.unread_notices(OuterRef("pk"))))[:1]


def _partner(pk):
    return Partner(pk=pk)


partner_with_figures = Frozen(_partner_with_figures, marks=("user",))
producer_with_unread = Frozen(_producer_with_unread, marks=("user",))
orders_to_fulfil = Frozen(lambda partner: summary.orders_to_fulfil(_partner(partner))[:ORDERS], marks=("partner",))
low_stock = Frozen(lambda partner: summary.low_stock(_partner(partner))[:LOW_STOCK], marks=("partner",))
expiring_certificates = Frozen(
    lambda partner, on: summary.expiring_certificates(_partner(partner), on=on)[:EXPIRING], marks=("partner",))
latest_certificates = Frozen(
    lambda partner, on, many: summary.latest_certificates(_partner(partner), on=on, many=many),
    marks=("partner",))
unread_notices = Frozen(lambda partner: summary.unread_notices(_partner(partner))[:NOTICES], marks=("partner",))


def producer_of(user):
    """scoping.producer_of (404 for a user who belongs to no producer), with `unread_count` on it."""
    found = producer_with_unread(user=user.pk) if user.is_authenticated else []
    if not found:
        raise Http404("not a producer")
    return found[0]


def home_context(user, *, now=None) -> dict:
    """What HomeView shows: the same values summary's functions give, one by one."""
    if not user.is_authenticated:  # (partners_of's answer: none)
        return {"partner": None}
    found = partner_with_figures(user=user.pk, start=summary.month_start(now))
    partner = found[0] if found else None
    if partner is None:
        return {"partner": None}
    on = rules.today()
    many = partner.many_products
    certificates = summary.certificate_rows(latest_certificates(partner=partner.pk, on=on, many=many),
                                            on=on, many=many)
    return {
        "partner": partner,
        "orders": orders_to_fulfil(partner=partner.pk),
        "low_stock": low_stock(partner=partner.pk),
        "certificates": expiring_certificates(partner=partner.pk, on=on),
        "month_sales": partner.month_sales or Decimal(0),
        "notices": unread_notices(partner=partner.pk),
        "certificate_rows": certificates.rows,
        "certificates_needing_attention_only": certificates.only_needing_attention,
        "unread_count": partner.unread_count,
    }

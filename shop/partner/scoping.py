"""What a producer user may see: the one rule every portal page (and Oscar's order pages, for
producers) asks. A producer is any partner the user belongs to (Oscar's partner.users); office
staff are not producers and see everything through Oscar's own pages."""
from __future__ import annotations

from django.http import Http404
from oscar.core.loading import get_model

Line = get_model("order", "Line")
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def partners_of(user):
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(users=user).order_by("pk")


def is_producer_user(user) -> bool:
    """A dashboard user who is not office staff but belongs to a producer. Asked by every menu entry
    and page of a request: remembered on the request's user object."""
    if not user.is_authenticated or user.is_staff:
        return False
    if not hasattr(user, "_is_producer"):
        user._is_producer = partners_of(user).exists()
    return user._is_producer


def producer_of(user):
    """The producer the user acts for (their first partner); 404 when they belong to none."""
    partner = partners_of(user).first()
    if partner is None:
        raise Http404("not a producer")
    return partner


def own_lines(partner):
    return Line.objects.filter(partner=partner)


def own_orders(partner):
    return Order.objects.filter(lines__partner=partner).distinct()


def own_order_or_404(partner, number: str):
    order = own_orders(partner).filter(number=number).first()
    if order is None:
        raise Http404("no such order of yours")
    return order


def own_stockrecords(partner):
    return StockRecord.objects.filter(partner=partner)


def own_products(partner):
    """The products the producer makes (Product.producer): the ones whose page text and photos they edit."""
    return get_model("catalogue", "Product").objects.filter(producer=partner)

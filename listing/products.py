"""The listing query: which products the web shows, with what a card needs; and the products
related to one product (same producer, then same GI)."""
from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When
from oscar.core.loading import get_model

from catalog_ext import rules
from listing.filters import annotate_listing

Product = get_model("catalogue", "Product")

RELATED = 8

_listing_of_the_day: dict = {}


def browsable_products():
    """Public, browsable products with everything a product card needs fetched up front: today's
    badges, producer and GI in the query, stock records, images and classes prefetched.

    Building the annotated queryset (badge period join, price subqueries, Oscar's base_queryset) costs about 10 ms of
    ORM expression work; it depends only on the date, so it is built once a day per process and
    cloned (`.all()`, never evaluated itself)."""
    on = rules.today()
    base = _listing_of_the_day.get(on)
    if base is None:
        base = (
            annotate_listing(Product.objects.browsable().base_queryset(), on)
            .select_related("producer", "gi")
            .prefetch_related("categories")
            .order_by("-date_created", "-pk")
        )
        _listing_of_the_day.clear()
        _listing_of_the_day[on] = base
    return base.all()


def card_products():
    """browsable_products() with only the prefetches a product card reads: stock records (price
    and availability), images, and children (a parent's card shows theirs). The options Oscar's
    base queryset prefetches are read through its has_options annotations instead, and no card
    shows categories: three queries fewer for a page whose cards must be drawn."""
    return browsable_products().prefetch_related(None).prefetch_related("children", "stockrecords", "images")


def related_products(product, limit: int = RELATED) -> list:
    """Other products of the same producer first, then others of the same GI (one query, cards
    prefetched as in listings)."""
    same = Q(pk__in=[])
    if product.producer_id:
        same |= Q(producer_id=product.producer_id)
    if product.gi_id:
        same |= Q(gi_id=product.gi_id)
    if not (product.producer_id or product.gi_id):
        return []
    rank = Case(When(producer_id=product.producer_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(browsable_products().filter(same).exclude(pk=product.pk)
                .annotate(related_rank=rank).order_by("related_rank", "-date_created", "-pk")[:limit])

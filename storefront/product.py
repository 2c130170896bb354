"""What the product page adds around Oscar's: products related by producer or GI."""
from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When
from oscar.core.loading import get_class

browsable_products = get_class("search.views", "browsable_products")

RELATED = 8


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

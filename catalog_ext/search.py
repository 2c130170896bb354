"""What search matches: one folded text per product (title, producer, GI, commune)."""
from __future__ import annotations

from .text import fold


def search_text_for(product) -> str:
    parts = [product.title or ""]
    producer = product.producer if product.producer_id else None
    if producer is not None:
        parts += [producer.name, producer.commune]
    if product.gi_id:
        parts.append(product.gi.name)
    return fold(" ".join(p for p in parts if p))


def refresh_search_text(products) -> int:
    """Recompute the folded column of these products (a producer or GI was renamed)."""
    changed = []
    for product in products.select_related("producer", "gi"):
        text = search_text_for(product)
        if text != product.search_text:
            product.search_text = text
            changed.append(product)
    products.model.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)

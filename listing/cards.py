"""Product cards, rendered once and reused: the cost of a listing page is mostly Oscar's card
template (about 5 ms a card), not its queries.

The cache key is made of everything the card shows, read from the listing row itself — product
and stock-record values, today's badge facts (from catalog_ext.badges), the primary image, the
language, and the card templates' source. Any change to a price, stock level, certificate,
licence or template gives a new key, so a cached card can never show a stale badge or price;
old entries simply age out. The per-visitor CSRF token is put in after the cache.
"""
from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe
from oscar.templatetags.product_tags import render_product

from catalog_ext import rules

CARD_SECONDS = 24 * 3600
CSRF_MARK = "__OCOP_CSRF_TOKEN__"
# Every template a card is drawn from: editing one of them changes every key.
CARD_TEMPLATES = (
    "oscar/catalogue/partials/product.html",
    "oscar/catalogue/partials/stock_record.html",
    "oscar/catalogue/partials/add_to_basket_form_compact.html",
    "ocop/badges.html",
)
_templates_digest: str | None = None


def templates_digest() -> str:
    """Our card templates' source plus Oscar's version (our product.html extends Oscar's own)."""
    global _templates_digest
    if _templates_digest is None:
        import oscar

        sources = [get_template(name).template.source for name in CARD_TEMPLATES] + [oscar.get_version()]
        _templates_digest = hashlib.sha1("\0".join(sources).encode()).hexdigest()[:12]
    return _templates_digest


def card_facts(product, request) -> tuple | None:
    """What the card shows, or None when the row lacks the listing annotations (then no cache)."""
    if not hasattr(product, "badge_gi_ok"):
        return None
    records = tuple((r.pk, str(r.price), r.num_in_stock, r.num_allocated, r.partner_id)
                    for r in product.stockrecords.all())
    image = product.primary_image()
    image_fact = (image.get("original") if isinstance(image, dict) else str(getattr(image, "original", "")))
    gi = (product.gi.slug, product.gi.name) if product.badge_gi_ok and product.gi_id else None
    producer = product.producer.name if product.producer_id else None  # the card names its producer
    strategy = type(getattr(request, "strategy", None)).__name__  # price and availability come from it
    return (product.pk, product.date_updated.isoformat(), product.structure, product.title, product.slug,
            product.has_options, records, image_fact, producer, product.badge_stars, product.badge_potential_five, gi,
            strategy, translation.get_language(), rules.today().isoformat(), templates_digest())


def card_key(facts: tuple) -> str:
    return "ocop:card:" + hashlib.sha1(repr(facts).encode()).hexdigest()


def render_card(context, product) -> str:
    request = context.get("request")
    facts = card_facts(product, request) if request is not None else None
    if facts is None:
        return render_product(context, product)
    key = card_key(facts)
    html = cache.get(key)
    if html is None:
        with context.push(csrf_token=CSRF_MARK):
            html = str(render_product(context, product))
        cache.set(key, html, CARD_SECONDS)
    return mark_safe(html.replace(CSRF_MARK, get_token(request)))

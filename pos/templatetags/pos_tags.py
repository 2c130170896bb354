from django import template

from pos.stock import shelves_of

register = template.Library()


@register.simple_tag
def shelves_for(product):
    """Showrooms with the product on the shelf now (one query)."""
    return list(shelves_of(product)) if product is not None and product.pk else []

"""`{% ocop_with_badges order.lines.all as lines %}`: the lines of a basket or order with their
products' badges fetched in one query, for a loop that shows `{% ocop_badges line.product %}`
(otherwise each line would ask on its own)."""
from django import template

from catalog_ext.badges import attach_badges

register = template.Library()


@register.simple_tag
def ocop_with_badges(items):
    """`items`: basket or order lines (their products get the badges), or products."""
    items = list(items or ())
    attach_badges([getattr(item, "product", item) for item in items])
    return items

"""Template side of the badge rule: `{% ocop_badges product %}` renders today's star badge and GI
tag (nothing at all when neither may show)."""
from django import template

from catalog_ext.badges import badges_for

register = template.Library()


@register.inclusion_tag("ocop/badges.html")
def ocop_badges(product, size="sm"):
    return {"badges": badges_for(product), "size": size}


@register.simple_tag
def product_badges(product):
    """The Badges object itself, for templates that lay the parts out themselves."""
    return badges_for(product)


@register.simple_tag(takes_context=True)
def product_card(context, product):
    """Oscar's product card (render_product), cached by what it shows: see catalog_ext.cards."""
    from catalog_ext.cards import render_card

    return render_card(context, product)

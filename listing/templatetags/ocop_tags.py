"""Template side of the badge rule: `{% ocop_badges product %}` renders today's star badge and GI
tag (nothing at all when neither may show); `grouped` writes a count the language's way."""
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
    """Oscar's product card (render_product), cached by what it shows: see listing.cards."""
    from listing.cards import render_card

    return render_card(context, product)


@register.simple_tag(takes_context=True)
def product_cards(context, products):
    """Every card of a listing page, in order (`{% product_cards products as cards %}`): a page's
    cards come from the card cache together, and only the missing ones load their product."""
    from listing.cards import render_cards

    return render_cards(context, products)


@register.filter
def grouped(number):
    """A whole number with the active language's thousands separator ("1.000" in Vietnamese,
    "1,000" in English). Django's Vietnamese formats define no grouping, so floatformat and
    intcomma would print "1000"."""
    from babel.numbers import format_decimal
    from django.utils.translation import get_language, to_locale

    return format_decimal(number, locale=to_locale(get_language() or "vi"))

"""Template side of the badge rule: `{% ocop_badges product %}` writes today's star badge and GI
tag (nothing at all when neither may show); `{% ocop_card %}` a product card; `grouped` writes a count the language's way."""
from django import template

from catalog_ext.badges import badges_for
from listing.card_html import badges_html, card_html

register = template.Library()


@register.simple_tag
def ocop_badges(product, size="sm"):
    """Written in Python (listing.card_html.badges_html): every product card shows one."""
    return badges_html(badges_for(product), size)


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
def ocop_card(context, product, photo):
    """The product card's article (templates/oscar/catalogue/partials/product.html), written in
    Python: listing.card_html. `photo`: the card's <img>, written by {% product_img %}."""
    from oscar.templatetags.currency_filters import register as currency_filters  # the shop's filter (shop/apps.py)
    from oscar.templatetags.purchase_info_tags import purchase_info_for_product

    request = context["request"]
    return card_html(product, photo, badges_for(product), purchase_info_for_product(request, product),
                     context.get("csrf_token"), currency_filters.filters["currency"])


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


@register.simple_tag
def facet_options(facet):
    """The options of one facet of the filter panel (ocop/find/filters.html), each a link that
    adds or removes it. Written here rather than as a template loop: a search shows up to ~60
    options (a producer each), and the loop drew them in about 1.5 ms of every new search's CPU,
    the page's own facet counts, never twice the same (issue 21)."""
    from django.utils.safestring import mark_safe

    from listing.find_html import counter, esc, translator

    gettext, shown_count = translator(), counter()

    # Each option as format_html wrote it (every value escaped), in an f-string: format_html's
    # parsing of the pattern per option was most of the ~60 options' cost.
    remove = f' aria-current="true" title="{esc(gettext("Remove this filter"))}"'
    tick = '<span aria-hidden="true">✓ </span>'
    name, rows = esc(facet["name"]), []
    for option in facet["options"]:
        count, selected = shown_count(option.count), option.selected
        rows.append(f'<li><a href="{esc(option.url)}" class="ocop-facet__option{" is-selected" if selected else ""}"'
                    f' data-facet="{name}" data-value="{esc(option.value)}"{remove if selected else ""}>'
                    f' {tick if selected else ""}{esc(option.label)} <span class="ocop-facet__count"'
                    f' data-count="{count}">({count})</span></a></li>')
    return mark_safe("\n".join(rows))


@register.simple_tag(takes_context=True)
def filter_panel(context):
    """The search and catalogue pages' filter panel (ocop/find/filters.html), written in Python:
    listing.find_html."""
    from listing.find_html import filter_panel as panel

    return panel(context, facet_options)


@register.simple_tag(takes_context=True)
def find_toolbar(context):
    """Above the results: rejected and active filters, the count, the sort links
    (ocop/find/toolbar.html), written in Python: listing.find_html."""
    from listing.find_html import toolbar

    return toolbar(context)

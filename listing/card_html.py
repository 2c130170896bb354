"""A product card's HTML and the OCOP badge's, written in Python rather than by the template engine.

A search no one made before shows cards no page drew yet, up to 24 a page; through the template
engine a card was about 60 nodes (blocks, ifs, a lookup per attribute, two URLs, trans and
blocktrans, the badges' inclusion template), about 0.8 ms of CPU each quiet and 2.4 ms on a busy
machine: most of the slowest new searches (issue 21). Here each is a few string joins.

The markup, whitespace included, is the one the templates wrote (Oscar's card template extended
by templates/oscar/catalogue/partials/product.html, and ocop/badges.html):
tests/listing/test_card_html.py renders those templates, kept there, beside these functions for
every branch (price or none, free, in stock or not, options, parent, stars, GI, no producer).
As in the templates, values are escaped and translations are not ({% trans %} of a literal is
safe, {% blocktrans %} escapes only its variables). The card cache's key holds this file's source
(listing.cards.templates_digest), so an edit here draws every card again.
"""
from __future__ import annotations

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from catalog_ext.badges import Badges

# The star badge's icon: a red disc with a yellow star, the same in every badge.
_STAR_ICON = ('<svg class="ocop-star-badge__icon" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true"'
              ' focusable="false"><circle cx="12" cy="12" r="11" fill="#b3261e"/><path fill="#ffd54f"'
              ' d="M12 4.6l2.2 4.6 5 .7-3.6 3.5.9 5-4.5-2.4-4.5 2.4.9-5-3.6-3.5 5-.7z"/></svg>')


def badges_html(badges: Badges, size: str = "sm") -> str:
    """Today's star badge and GI tag of a product (`{% ocop_badges %}`), or nothing but the
    line end the template file ended with."""
    if not badges:
        return mark_safe("\n")
    out = [f'<span class="ocop-badges ocop-badges--{esc(size)}">']
    if badges.has_stars:
        stars = esc(badges.stars)
        label = gettext("OCOP %(stars)s stars") % {"stars": stars}
        title = label + (" · " + gettext("potential 5★") if badges.potential_five else "")
        out.append(f'<span class="ocop-star-badge ocop-star-badge--{stars}" data-ocop-stars="{stars}" role="img"'
                   f' aria-label="{label}" title="{title}">{_STAR_ICON}<span class="ocop-star-badge__text"'
                   f' aria-hidden="true">OCOP {esc(badges.star_glyphs)}</span></span>')
    if badges.has_gi:
        slug = esc(badges.gi_slug)
        title = gettext("Geographical indication: %(name)s") % {"name": esc(badges.gi_name)}
        out.append(f' <a class="ocop-gi-tag" data-gi="{slug}" href="{esc(reverse("catalogue:index"))}?gi={slug}"'
                   f' title="{title}"><span aria-hidden="true">GI</span><span class="sr-only">'
                   f'{gettext("Geographical indication")}:</span> {esc(badges.gi_name)}</a>')
    out.append("</span>\n")
    return mark_safe("".join(out))


def card_html(product, photo: str, badges: Badges, session, csrf_token: str, currency) -> str:
    """The inside of `{% block product %}` of a product card: `photo` the <img> already written
    ({% product_img %}), `session` the strategy's purchase info (Oscar's
    purchase_info_for_product), `csrf_token` what {% csrf_token %} would write the form's token
    from, `currency` the `currency` filter."""
    url = esc(product.get_absolute_url())
    title = esc(product.get_title())
    producer = product.producer
    name = esc(producer.name) if producer else ""
    price, availability = session.price, session.availability
    if price.exists:
        if price.excl_tax == 0:
            amount = gettext("Free")
        elif price.is_tax_known:
            amount = esc(currency(price.incl_tax, price.currency))
        else:
            amount = esc(currency(price.excl_tax, price.currency))
        icon = ('<i class="fas fa-check-circle"></i>' if availability.is_available_to_buy
                else '<i class="fas fa-ban"></i>')
        shown = (f'\n        \n          <p class="price_color">{amount}</p>\n        \n'
                 f'        <p class="{esc(availability.code)} availability">\n          {icon}\n'
                 f'          {esc(availability.short_message)}\n        </p>\n      ')
    else:
        shown = (f'\n        <p class="price_color">&nbsp;</p>\n        <i class="fas fa-ban"></i>\n'
                 f'        {gettext("Unavailable")}\n      ')
    form = ""
    if not product.is_parent and not product.has_options:
        add = gettext("Add to basket")
        if availability.is_available_to_buy and price.exists:
            token = (f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'
                     if csrf_token and csrf_token != "NOTPROVIDED" else "")
            inner = (f'\n          <form action="{esc(reverse("basket:add", kwargs={"pk": product.pk}))}" method="post">'
                     f'\n            {token}\n            <input type="hidden" name="quantity" value="1" id="id_quantity">'
                     f'\n            <button type="submit" class="btn btn-primary btn-block" data-loading-text="'
                     f'{gettext("Adding...")}">{add}</button>\n          </form>\n        ')
        else:
            inner = f'\n          <span class="btn btn-secondary btn-block disabled">{add}</span>\n        '
        form = f"\n        {inner}\n      "
    producer_line = f'<p class="producer-line" title="{name}">{name}</p>' if producer else ""
    return mark_safe(
        f'<article class="product_pod">\n  \n  \n  <a class="image_container" href="{url}" tabindex="-1"'
        f' aria-hidden="true">\n    {esc(photo)}\n  </a>\n  \n  \n  <div class="product_pod__body">\n    \n'
        f'    <h3><a class="clamp-2" href="{url}" title="{title}">{title}</a></h3>\n'
        f'    <div class="ocop-card-badges">{badges_html(badges)}</div>\n    {producer_line}\n    \n    \n'
        f'    <div class="product_price">\n      \n      {shown}\n      {form}\n    </div>\n    \n  </div>\n'
        f'</article>')

"""`{% line_badges product %}`: what `{% include "ocop/line_badges.html" %}` writes under a basket,
checkout or order line's title (today's OCOP badge), kept per process for each kind of badge.

The include rendered a template and a tag for every line (ocop/line_badges.html, then
`{% ocop_badges %}`, each through the template engine until the cards branch): ~700 Python calls a line, about a tenth of the basket, checkout
review and order pages (issue 21). That markup depends on nothing but the product's badges
(catalog_ext.badges.badges_for: stars, "potential 5★", geographical indication), the language and
the URL prefix (its GI link): it is rendered by the same template the first time a combination is
seen, then reused. A few dozen combinations exist (stars × GI); the store is bounded anyway.
tests/checkout/test_line_badges.py holds it equal to the include."""
from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from catalog_ext.badges import badges_for

register = template.Library()
TEMPLATE = "ocop/line_badges.html"
KEPT_AT_MOST = 1024
_kept: dict = {}


@register.simple_tag
def line_badges(product):
    key = (badges_for(product) if product else None,  # None: the template's "no product" (its newline)
           get_language(), get_script_prefix(), get_urlconf())
    written = _kept.get(key)
    if written is None:
        written = get_template(TEMPLATE).render({"product": product})
        if len(_kept) < KEPT_AT_MOST:
            _kept[key] = written
    return written

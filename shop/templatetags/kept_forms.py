"""`{% kept_search_fields form style as drawn %}`: the fields of the office order list's "Advanced
Search" box, drawn once per process for each language and set of choices while nobody searches.

Oscar's order list draws its search form's 11 fields in a hidden modal on every visit, each through
`form_field.html` and Django's widget templates (about 40 template renders): a sixth of the page's
template time (issue 21). With none of the form's fields in the query (the list as opened, a page
or sort link) the drawing depends only on the language, the form's fields and their choices (the
statuses, the payment methods read from the database), so it is kept for those. A search made (a
field in the query, errors to show), any other form, or a full cache: drawn as before, by
`oscar/dashboard/partials/form_fields.html`. `drawn` is then empty and the template includes it.

tests/speed/test_office_order_rows.py holds the box equal to Oscar's own drawing."""
from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from oscar.core.loading import get_class

OrderSearchForm = get_class("dashboard.orders.forms", "OrderSearchForm")
register = template.Library()

KEPT_MAX = 32  # drawings kept: one per language and set of choices
_kept: dict[tuple, str] = {}


@register.simple_tag
def kept_search_fields(form, style):
    if type(form) is not OrderSearchForm or any(form.add_prefix(name) in form.data for name in form.fields):
        return ""
    key = (get_language(), style, tuple((name, type(field).__name__, _choices(field)) for name, field in form.fields.items()))
    drawn = _kept.get(key)
    if drawn is None:
        drawn = render_to_string("oscar/dashboard/partials/form_fields.html", {"form": form, "style": style})
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        _kept[key] = drawn
    return mark_safe(drawn)


def _choices(field) -> tuple:
    return tuple((str(value), str(label)) for value, label in getattr(field, "choices", ()))

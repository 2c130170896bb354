"""`{% dashboard_menu user %}`: the dashboard's menu for this user, drawn once per process for each
menu and language.

Oscar's layout drew the menu on every office page: about 35 entries, each reversing its URL and
translating its label (`{{ subitem.url }}` is a reverse() per entry), a fifth of the office's order
pages' time (issue 21). Which entries a user sees is still asked on every page (Oscar's
`get_nodes(user)`, its permission checks); the drawing depends only on those entries, the language
and the URL prefix, so it is kept for them. The markup is Oscar's, in
templates/oscar/dashboard/partials/menu.html."""
from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from oscar.core.loading import get_class

get_nodes = get_class("dashboard.menu", "get_nodes")
register = template.Library()

KEPT_MAX = 64  # menus kept: one per set of entries (a few roles) and language
_kept: dict[tuple, str] = {}


@register.simple_tag
def dashboard_menu(user):
    nodes = get_nodes(user)
    key = (get_language(), get_script_prefix(), _entries(nodes))
    drawn = _kept.get(key)
    if drawn is None:
        drawn = render_to_string("oscar/dashboard/partials/menu.html", {"nav_items": nodes})
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        _kept[key] = drawn
    return mark_safe(drawn)


def _entries(nodes) -> tuple:
    """What the drawing shows of each entry: its label (in the language), icon, and link."""
    return tuple((str(node.label), node.icon, node.url_name, tuple(node.url_args or ()),
                  tuple(sorted((node.url_kwargs or {}).items())), _entries(node.children)) for node in nodes)

"""The search and catalogue pages' filter panel and toolbar (templates/ocop/find/), written in
Python rather than by the template engine: every search no one made before draws both with its own
facet counts, never twice the same (about 1 ms of CPU each through the engine at load 6, issue 21).

The markup, whitespace included, is the one the templates wrote; tests/listing/test_find_html.py
renders those templates, kept there, beside these functions on search and catalogue pages with
and without filters, a rejected filter, the cap reached. As in the templates, values are escaped
and translations are not ({% trans %} of a literal is safe, {% blocktrans %} escapes only its
variables; numbers are localized as {{ }} does).
"""
from __future__ import annotations

from functools import cache, lru_cache, partial
from html import escape as _html_escape

from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _gettext


def esc(value) -> str:
    """conditional_escape(value), without escape()'s lazy-argument wrapper and SafeString for a
    plain str or a lazy translation of one (a page's links, labels and values: a few hundred)."""
    if value.__class__ is not str:
        if isinstance(value, Promise):
            value = str(value)  # as conditional_escape does
        if value.__class__ is not str:
            return conditional_escape(value)
    return _html_escape(value)


def translator():
    """gettext() of literals in the active language, each asked once per language and process (a
    panel and a toolbar ask about twenty): `gettext = translator()` once per function, then
    `gettext("...")` as ever (makemessages still finds them)."""
    return partial(_translation, get_language())


@cache
def _translation(language: str, message: str) -> str:
    return _gettext(message)  # (asked while `language` is the active one)


def counter():
    """esc(localize(number)) of counts in the active language, kept: a filter panel shows ~60."""
    return partial(_shown_count, get_language())


@lru_cache(maxsize=20000)
def _shown_count(language: str, number) -> str:
    return esc(localize(number))  # (asked while `language` is the active one)


def _grouped(number) -> str:
    from .templatetags.ocop_tags import grouped

    return grouped(number)


def filter_panel(context, options_html) -> str:
    """templates/ocop/find/filters.html after its first line; `options_html(facet)`: the facet's
    options ({% facet_options %})."""
    gettext = translator()
    filters = context.get("filters")
    active = filters.active
    out = ['<details class="ocop-filters" data-ocop-filters data-ocop-open-wide>\n'
           f'    <summary class="ocop-filters__summary">{gettext("Filter products")}']
    if active:
        out.append(f' <span class="badge badge-primary">{esc(localize(len(context.get("active_filters"))))}</span>')
    out.append('</summary>\n    <div class="ocop-filters__body">\n        ')
    if active:
        out.append(f'\n            <p class="ocop-filters__clear"><a href="{esc(context.get("clear_filters_url"))}"'
                   f' rel="nofollow">{gettext("Clear all filters")}</a></p>\n        ')
    out.append("\n        ")
    more_than = context.get("more_than")
    if more_than:
        note = gettext("Counts cover the newest %(cap)s matches.") % {"cap": esc(_grouped(more_than))}
        out.append(f'<p class="ocop-filters__note">{note}</p>')
    out.append("\n        ")
    for facet in context.get("facet_groups") or ():
        out.append("\n            ")
        if facet["options"]:
            name = esc(facet["name"])
            out.append(f'\n                <section class="ocop-facet" aria-labelledby="ocop-facet-{name}">\n'
                       f'                    <h2 class="ocop-facet__title" id="ocop-facet-{name}">{esc(facet["title"])}</h2>\n'
                       '                    <ul class="ocop-facet__options list-unstyled">\n'
                       f'                        {esc(options_html(facet))}\n'
                       '                    </ul>\n                </section>\n            ')
        out.append("\n        ")
    out.append('\n        <section class="ocop-facet" aria-labelledby="ocop-facet-price">\n'
               f'            <h2 class="ocop-facet__title" id="ocop-facet-price">{gettext("Price (đồng)")}</h2>\n'
               '            <form method="get" class="ocop-price-form">\n                ')
    for name, value in filters.params.items():
        if name != "price_min" and name != "price_max":
            out.append(f'\n                    <input type="hidden" name="{esc(localize(name))}" value="{esc(localize(value))}">\n                ')
    out.append(
        '\n                <label for="id_price_min" class="sr-only">' + gettext("Minimum price") + '</label>\n'
        '                <input type="number" min="0" step="1" inputmode="numeric" name="price_min" id="id_price_min"'
        f' class="form-control form-control-sm" placeholder="{gettext("from")}" value="{_or_blank(filters.price_min)}">\n'
        '                <label for="id_price_max" class="sr-only">' + gettext("Maximum price") + '</label>\n'
        '                <input type="number" min="0" step="1" inputmode="numeric" name="price_max" id="id_price_max"'
        f' class="form-control form-control-sm" placeholder="{gettext("to")}" value="{_or_blank(filters.price_max)}">\n'
        f'                <button type="submit" class="btn btn-sm btn-secondary">{gettext("Apply")}</button>\n'
        '            </form>\n        </section>\n    </div>\n</details>')
    return mark_safe("".join(out))


def _or_blank(value) -> str:
    """{{ value|default_if_none:'' }}"""
    return "" if value is None else esc(localize(value))


def toolbar(context) -> str:
    """templates/ocop/find/toolbar.html after its first line."""
    gettext = translator()
    out = []
    rejected = context.get("rejected_filters")
    if rejected:
        out.append('\n    <div class="alert alert-warning ocop-rejected-filters" role="status">\n'
                   f'        {gettext("Some filters were not valid and have been ignored:")} '
                   f'{", ".join(str(esc(name)) for name in rejected)}\n    </div>\n')
    out.append("\n")
    chips = context.get("active_filters")
    if chips:
        remove = gettext("Remove this filter")
        out.append(f'\n    <ul class="ocop-active-filters list-inline" aria-label="{gettext("Active filters")}">\n        ')
        for chip in chips:
            out.append(f'\n            <li class="list-inline-item"><a class="badge badge-pill badge-light ocop-chip"'
                       f' href="{esc(chip["url"])}" rel="nofollow" title="{remove}">{esc(chip["label"])}'
                       f' <span aria-hidden="true">×</span><span class="sr-only">{remove}</span></a></li>\n        ')
        out.append(f'\n        <li class="list-inline-item"><a href="{esc(context.get("clear_filters_url"))}"'
                   f' rel="nofollow" class="ocop-clear-filters">{gettext("Clear all filters")}</a></li>\n    </ul>\n')
    out.append('\n<div class="ocop-toolbar">\n    <p class="ocop-toolbar__count">\n        ')
    more_than = context.get("more_than")
    paginator, page = context.get("paginator"), context.get("page_obj")
    if more_than:
        out.append(gettext("<strong>More than %(cap)s</strong> products") % {"cap": esc(_grouped(more_than))})
    else:
        count = paginator.count
        out.append(ngettext("<strong>%(num_results)s</strong> product", "<strong>%(num_results)s</strong> products",
                            count) % {"num_results": esc(localize(count))})
    if getattr(paginator, "num_pages", 0) > 1:  # as {% if paginator.num_pages > 1 %}: no paginator, no range
        out.append(" · " + gettext("showing %(start)s–%(end)s") % {"start": esc(localize(page.start_index())),
                                                                    "end": esc(localize(page.end_index()))})
    out.append("\n    </p>\n    ")
    if more_than:
        cap = gettext("The newest %(cap)s are listed: add a word or a filter to narrow the search.") % {
            "cap": esc(_grouped(more_than))}
        out.append(f'<p class="ocop-toolbar__cap" data-ocop-cap="{esc(localize(more_than))}">{cap}</p>')
    out.append(f'\n    <nav class="ocop-sort" aria-label="{gettext("Sort by")}">\n'
               f'        <span class="ocop-sort__label">{gettext("Sort by")}:</span>\n        ')
    for key, label, url, current in context.get("sort_options") or ():
        out.append("\n            ")
        if current:
            out.append(f'<strong class="ocop-sort__option is-current" aria-current="true" data-sort="{esc(key)}">'
                       f'{esc(label)}</strong>')
        else:
            out.append(f'<a class="ocop-sort__option" href="{esc(url)}" rel="nofollow" data-sort="{esc(key)}">'
                       f'{esc(label)}</a>')
        out.append("\n        ")
    out.append("\n    </nav>\n</div>")
    return mark_safe("".join(out))

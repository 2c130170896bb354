"""The search page's own blocks (templates/oscar/search/results.html: title, breadcrumbs, filter
panel, heading and results), written in Python rather than by the template engine, for the render
the page cache stores (listing.page_layout: the layout around them is drawn once per language and
address).

Every search no one made before draws them anew: through the engine they were about 0.5 ms of CPU
besides the filter panel, the toolbar and the cards (issue 21: a new search at a quarter of the
cached rate), a page's context made with every context processor, each {{ }} looked up,
localized and escaped, each {% trans %} asked again, Oscar's pagination template included.

The markup, whitespace included, is the template's: results.html stays the page's source (every
render the page cache does not store is the template's own), and tests/listing/test_search_html.py
renders its blocks beside these functions for searches with and without words, filters, results,
several pages, a rejected filter and the cap reached, in Vietnamese and English
(tests/listing/test_page_layout.py compares whole pages). As in the template, values are escaped
and translations of literals are not; numbers are localized as {{ }} does.
"""
from __future__ import annotations

from functools import cache, lru_cache
from html import escape as _html_escape

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.translation import get_language, gettext

from . import find_html

SLOTS = ("title", "breadcrumbs", "column_left", "headertext", "content")

# Oscar's pagination.html's {% blocktrans %} msgid, whitespace and all (it is not trimmed).
_PAGE_OF = "\n                        Page %(page_num)s of %(total_pages)s\n                    "


def esc(value) -> str:
    """{{ value }}: conditional_escape(localize(value)), without their wrappers for a plain str."""
    return _html_escape(value) if value.__class__ is str else find_html.esc(localize(value))


@cache
def _t(language) -> dict[str, str]:
    """The page's translated literals in this language (gettext asked once per language and process,
    while `language` is the active one)."""
    return {
        "search": gettext("Search"), "home": gettext("Home"), "matching": gettext('Products matching "%(q)s"'),
        "example": gettext("e.g. ca phe son la"),
        "type": gettext("Type letters or numbers to search for: a product, a producer, a commune or a "
                        "geographical indication."),
        "what": gettext("What are you looking for? Type a product, a producer, a commune or a geographical "
                        "indication; accents are optional."),
        "none": gettext("No products found."), "previous": gettext("previous"), "next": gettext("next"),
        "page_of": gettext(_PAGE_OF),
    }


def blocks(request, context: dict) -> dict[str, str]:
    """The five blocks of results.html for the view's `context` (its get_context_data())."""
    t = _t(get_language())
    query = context.get("query")
    q = esc(query) if query else ""
    searched = context.get("searched")
    quoted = f'"{q}" | ' if query else ""
    title = f'\n    {quoted}{t["search"]} | {esc(settings.OSCAR_SHOP_NAME)}\n'
    if query:
        crumbs = (f'\n            <li class="breadcrumb-item">\n                {t["search"]}\n            </li>\n'
                  f'            <li class="breadcrumb-item active" aria-current="page">"{q}"</li>\n')
    else:
        crumbs = (f'\n            <li class="breadcrumb-item active" aria-current="page">\n                {t["search"]}\n'
                  '            </li>\n            \n')
    breadcrumbs = ('\n    <nav aria-label="breadcrumb">\n        <ol class="breadcrumb">\n'
                   f'            <li class="breadcrumb-item">\n                <a href="{esc(str(settings.OSCAR_HOMEPAGE))}">'
                   f'{t["home"]}</a>\n            </li>{crumbs}        </ol>\n    </nav>\n')
    if searched:
        column_left = f'\n    \n{find_html.filter_panel(context, _facet_options())}\n\n'
    else:
        column_left = "\n    \n"
    if query:
        heading = "\n    \n        " + t["matching"] % {"q": q} + "\n    \n"
    else:
        heading = f"\n    \n        {t['search']}\n    \n"
    return {"title": title, "breadcrumbs": breadcrumbs, "column_left": column_left, "headertext": heading,
            "content": _content(request, context, t, q, searched)}


def _facet_options():
    from .templatetags.ocop_tags import facet_options

    return facet_options


def _content(request, context, t, q, searched) -> str:
    hidden = "".join(f'<input type="hidden" name="{esc(name)}" value="{esc(value)}">'
                     for name, value in context["filters"].params.items() if name != "q")
    out = [f'\n    <form method="get" action="{_search_url()}" class="ocop-search-page-form form-inline mb-3"'
           f' role="search">\n        <label for="id_search_page_q" class="sr-only">{t["search"]}</label>\n'
           f'        <input type="search" name="q" id="id_search_page_q" value="{q}" class="form-control mr-2 mb-2"'
           f' maxlength="200"\n               placeholder="{t["example"]}">\n        {hidden}\n'
           f'        <button type="submit" class="btn btn-primary mb-2">{t["search"]}</button>\n    </form>\n\n    ']
    if not searched:
        out.append(f'\n        <p class="ocop-search-empty">\n            \n                '
                   f'{t["type"] if context.get("query") else t["what"]}\n            \n        </p>\n    ')
    else:
        out.append(f"\n        \n{find_html.toolbar(context)}\n\n        ")
        products = context.get("products")
        if products:
            from .cards import render_cards

            cards = "".join(f"\n                            <li>{card}</li>\n                        "
                            for card in render_cards({"request": request}, products))
            out.append('\n            <section>\n                <div>\n                    <ol class="product-grid">\n'
                       f'                        \n                        {cards}\n                    </ol>\n'
                       f'                    {_pagination(request, context, t)}\n                </div>\n'
                       '            </section>\n        ')
        else:
            out.append(f'\n            <p class="nonefound">{t["none"]}</p>\n        ')
        out.append("\n    ")
    out.append("\n")
    return "".join(out)


def _search_url() -> str:
    """{% url 'search:search' %}, escaped: reversed once per script prefix, language and urlconf
    (~70 µs a reverse())."""
    return _reversed_search_url(get_script_prefix(), get_language(), get_urlconf())


@lru_cache(maxsize=64)
def _reversed_search_url(prefix, language, urlconf) -> str:
    return esc(reverse("search:search"))  # (asked while these are the active ones)


def _pagination(request, context, t) -> str:
    """Oscar's oscar/partials/pagination.html, as included."""
    paginator, page = context.get("paginator"), context.get("page_obj")
    if not getattr(paginator, "num_pages", 0) > 1:
        return "\n\n\n\n"
    getvars = request.GET.copy()
    getvars.pop("page", None)
    params = _html_escape(f"{getvars.urlencode()}&") if getvars else ""
    out = ['\n\n\n\n    <nav>\n        <ul class="pagination justify-content-center">\n            ']
    if page.has_previous():
        out.append(f'\n                <li class="page-item">\n                    <a class="page-link"'
                   f' href="?{params}page={esc(page.previous_page_number())}" tabindex="-1">\n'
                   f'                        {t["previous"]}\n                    </a>\n                </li>\n            ')
    out.append('\n            <li class="page-item disabled">\n                <span class="page-link">\n'
               f'                    {t["page_of"] % {"page_num": esc(page.number), "total_pages": esc(paginator.num_pages)}}'
               '\n                </span>\n            </li>\n            ')
    if page.has_next():
        out.append(f'\n                <li class="page-item">\n                    <a class="page-link"'
                   f' href="?{params}page={esc(page.next_page_number())}">\n'
                   f'                        {t["next"]}\n                    </a>\n                </li>\n            ')
    out.append("\n        </ul>\n    </nav>\n\n")
    return "".join(out)

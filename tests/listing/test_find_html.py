"""The filter panel and the toolbar above the results are written in Python (listing/find_html.py)
with exactly the markup, whitespace included, that their templates wrote (issue 21: every search
no one made before draws both, with its own counts). The templates are kept here as they were and
rendered with the very context each page gave its own, on search and catalogue pages with and
without filters, with a rejected filter, over several pages and with the cap reached, in
Vietnamese and English."""
from pathlib import Path

import pytest
from django.template import Engine
from django.template.backends.django import get_installed_libraries

from listing import best_matches
from listing.templatetags.ocop_tags import facet_options

pytestmark = pytest.mark.django_db
OLD = Path(__file__).with_name("find_templates")


def old(name: str, context) -> str:
    engine = Engine(libraries=get_installed_libraries(), autoescape=True)
    return engine.from_string((OLD / name).read_text(encoding="utf-8")).render(context)


def old_facet_options(facet):
    """{% facet_options %} as it was written with format_html_join."""
    from django.utils.formats import localize
    from django.utils.html import format_html, format_html_join
    from django.utils.translation import gettext

    remove = format_html(' aria-current="true" title="{}"', gettext("Remove this filter"))
    tick = format_html('<span aria-hidden="true">{}</span>', "✓ ")
    return format_html_join(
        "\n",
        '<li><a href="{}" class="ocop-facet__option{}" data-facet="{}" data-value="{}"{}> {}{}'
        ' <span class="ocop-facet__count" data-count="{}">({})</span></a></li>',
        ((option.url, " is-selected" if option.selected else "", facet["name"], option.value,
          remove if option.selected else "", tick if option.selected else "", option.label,
          localize(option.count), localize(option.count)) for option in facet["options"]),
    )


def contexts(response, name):
    return [context for template, context in zip(response.templates, response.context, strict=True)
            if template.name == name]


PAGES = [
    "/search/?q=tra",
    "/search/?q=ca+phe&stars=3&sort=price_asc&price_max=500000",
    "/search/?q=mat+ong&sort=newest&price_min=10000&gi=khong-co&bogus=1&stars=9",
    "/catalogue/?page=2",
    "/catalogue/",
    "/catalogue/?stars=4&in_stock=1&sort=price_desc",
    "/search/?q=zzzkhongco",
]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_panel_and_toolbar_written_in_python_are_what_their_templates_wrote(client, monkeypatch, language):
    monkeypatch.setattr(best_matches, "SEARCH_CAP", 5)  # "more than 5 products" on the common searches
    client.cookies["django_language"] = language
    drawn, seen = 0, ""
    for path in PAGES:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, path
        for name, old_name in (("ocop/find/filters.html", "filters.html"), ("ocop/find/toolbar.html", "toolbar.html")):
            for context in contexts(response, name):
                new = Engine.get_default().get_template(name).render(context)
                assert new == old(old_name, context), (path, name)
                drawn, seen = drawn + 1, seen + new
                for facet in context.get("facet_groups") or () if name.endswith("filters.html") else ():
                    assert facet_options(facet) == old_facet_options(facet), (path, facet["name"])
    assert drawn >= 2 * (len(PAGES) - 1)
    # every branch of both was drawn
    for mark in ("ocop-rejected-filters", "ocop-chip", "ocop-toolbar__cap", "ocop-filters__note", "ocop-filters__clear",
                 'type="hidden" name="q"', "is-current", "ocop-facet__option", " · ", 'data-facet="producer"'):
        assert mark in seen, mark

"""The search page's own blocks are written in Python for the render the page cache stores
(listing/search_html.py, issue 21) with exactly the markup, whitespace included, that
templates/oscar/search/results.html's blocks render: each new search here is drawn both ways, with
the very context the view gave, for searches with and without words, with filters, a rejected
filter, nothing found, markup in the words, one page and several (first, middle, last) and the cap
reached, in Vietnamese and English, for an anonymous visitor and a basket holder."""
import pytest
from django.template.loader import select_template
from django.test import Client
from oscar.core.loading import get_model

from catalog_ext.cache import catalogue_changed
from listing import best_matches, page_layout, search_html
from shop.search.views import FacetedSearchView
from tests.page_parts import comparable

from .pages import shared_page_cache  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_page_cache")]

PATHS = [
    "/search/?q=tra",
    "/search/?q=ca+phe",
    "/search/?q=ca+phe&page=2",
    "/search/?q=ca+phe&page=3",
    "/search/?q=ca+phe&stars=3&sort=price_asc&price_max=500000",
    "/search/?q=mat+ong&sort=newest&price_min=10000&gi=khong-co&bogus=1&stars=9",
    "/search/?q=tra&in_stock=1&sort=stars&page=2",
    "/search/?q=zzzkhongco",
    "/search/?q=",
    "/search/",
    "/search/?q=%21%21",
    "/search/?q=%3Cb%3E%22ca%22+%26+%27phe%27",
]


def _drawn_both_ways(monkeypatch) -> list:
    template = select_template([FacetedSearchView.template_name]).template
    blocks = page_layout._blocks(template, search_html.SLOTS)
    written = search_html.blocks
    pairs = []

    def both(request, context):
        new = written(request, context)
        old = page_layout._render_blocks(request, template, context, blocks)
        pairs.append(({name: comparable(html) for name, html in new.items()},
                      {name: comparable(str(html)) for name, html in old.items()}))
        return new

    monkeypatch.setattr(search_html, "blocks", both)
    return pairs


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("per_page,cap", [(24, None), (2, 5)])
def test_the_blocks_written_in_python_are_what_the_template_renders(monkeypatch, language, per_page, cap):
    monkeypatch.setattr(FacetedSearchView, "paginate_by", per_page)
    if cap is not None:
        monkeypatch.setattr(best_matches, "SEARCH_CAP", cap)
    pairs = _drawn_both_ways(monkeypatch)
    anonymous, holder = Client(), Client()
    record = get_model("partner", "StockRecord").objects.filter(num_in_stock__gt=2).first()
    assert holder.post(f"/basket/add/{record.product_id}/", {"quantity": 1}).status_code == 302
    seen = ""
    for client in (anonymous, holder):
        client.cookies["django_language"] = language
        for path in PATHS:
            catalogue_changed()  # a miss: the page is rendered
            response = client.get(path)
            assert response.status_code in (200, 302), path
    assert len(pairs) >= 2 * len(PATHS) - 6, len(pairs)  # (a page out of range redirects)
    for new, old in pairs:
        for name in search_html.SLOTS:
            assert new[name] == old[name], name
        seen += "".join(new.values())
    for mark in ("ocop-search-empty", "nonefound", "product-grid", "ocop-filters__body", 'type="hidden" name="stars"',
                 "&lt;b&gt;", "&amp;"):
        assert mark in seen, mark
    if per_page == 2:
        for mark in ('class="pagination', 'tabindex="-1"', "page=2", "page=3", "ocop-toolbar__cap"):
            assert mark in seen, mark

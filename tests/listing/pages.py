"""What the shared page cache's tests read off a storefront page, and the cache they run with."""
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import translation
from oscar.templatetags.currency_filters import currency

from catalog_ext.cache import VERSION_KEY
from listing import page_parts


@pytest.fixture
def shared_page_cache(settings, monkeypatch):
    """The page cache on from a new catalogue version, and kept drawings kept: they are only in a
    cache every process shares (Redis); the suite runs in one process, so its local-memory cache
    is as shared as Redis would be."""
    settings.OCOP_PAGE_CACHE = True
    cache.delete(VERSION_KEY)
    monkeypatch.setattr(page_parts, "cache_is_shared", lambda: True)


def _money(amount) -> str:
    """A VND amount as a Vietnamese page shows it."""
    with translation.override("vi"):
        return currency(Decimal(amount), "VND")


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _tools(html) -> str:
    """The header's account links and basket (the visitor's own part)."""
    return html.split('class="site-header__tools"')[1].split("</nav>")[0]

import pytest


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The rest of the suite runs without the whole-page cache (tests/envdefaults.py); these test it."""
    settings.OCOP_PAGE_CACHE = True

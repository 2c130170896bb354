import pytest


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The rest of the suite runs without the whole-page cache (tests/envdefaults.py); these test it."""
    settings.OCOP_PAGE_CACHE = True


@pytest.fixture(autouse=True)
def fresh_catalogue_version():
    """Each test's database changes are rolled back, but a shared cache (Redis, under CI) keeps the
    pages an earlier test cached under the version it bumped: start every test from a new version,
    as a deploy would (a restarted version is above every earlier one)."""
    from django.core.cache import cache

    from catalog_ext.cache import VERSION_KEY

    cache.delete(VERSION_KEY)
    yield

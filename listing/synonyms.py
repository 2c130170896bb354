"""Synonyms and common misspellings in the search: "cafe" finds "cà phê" (issue 19).

The office keeps them as data (listing.models.SearchSynonym, in the admin). A query word that is a
synonym's term may be met by the word itself or by any of its meanings, so "cafe son la" finds
products saying "cà phê" (or "cafe") and "sơn la". The table is small and read on every search,
so it is kept in the cache and dropped whenever a row changes; a change also retires the cached
catalogue pages (catalog_ext.cache), whose search results it changes.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

CACHE_KEY = "ocop:search:synonyms"
CACHE_SECONDS = 3600
# The table as a caller already read it from the cache (read_beside), for the searches inside
# `with known(...)` alone: a search page reads it in the round trip of its facet combinations.
_known: ContextVar[dict | None] = ContextVar("ocop_synonyms_known", default=None)


def read_beside(keys: list[str]) -> dict:
    """cache.get_many of `keys` and of the synonyms table, in one round trip: give the answer to
    known() around the search."""
    return cache.get_many([*keys, CACHE_KEY])


@contextmanager
def known(found: dict):
    """meanings() answers from `found` (read_beside's answer) inside the block, when it holds the
    table; else it reads the cache as always."""
    table = found.get(CACHE_KEY)
    token = _known.set(table if isinstance(table, dict) else None)
    try:
        yield
    finally:
        _known.reset(token)


def meanings() -> dict[str, tuple[tuple[str, ...], ...]]:
    """term -> the word tuples it may be met by, besides itself."""
    table = _known.get()
    if table is not None:
        return table
    table = cache.get(CACHE_KEY)
    if table is None:
        from .models import SearchSynonym

        table = {}
        for term, means in SearchSynonym.objects.order_by("pk").values_list("term", "means"):
            table[term] = (*table.get(term, ()), tuple(means.split()))
        cache.set(CACHE_KEY, table, CACHE_SECONDS)
    return table


def alternatives(words: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """For each query word, the ways a product may say it: the word, then each meaning."""
    table = meanings() if words else {}
    return tuple(((word,), *table.get(word, ())) for word in words)


def _changed(**kwargs):
    from catalog_ext.cache import catalogue_changed

    cache.delete(CACHE_KEY)
    catalogue_changed()


def connect_receivers() -> None:
    from .models import SearchSynonym

    post_save.connect(_changed, sender=SearchSynonym, dispatch_uid="listing-synonyms-saved")
    post_delete.connect(_changed, sender=SearchSynonym, dispatch_uid="listing-synonyms-deleted")

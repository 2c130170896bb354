"""Accent-free search over Product.search_text, ranked by relevance, on SQLite and PostgreSQL.

The query is folded the same way as the column (catalog_ext.text.fold), so "ca phe son la",
"CHE SHAN TUYET" and "Chiềng Mai" all meet the folded text. A product matches when it contains
every query word; the score puts the whole phrase in the title first, then words in the title, then
words elsewhere (producer, commune, GI). On PostgreSQL the full-text rank (config "simple") and
trigram word similarity are added to the score, and when no product contains every word a trigram
fallback tolerates typos ("arabca" finds arabica). The GIN indexes behind both are in migration
catalog_ext 0002_search_indexes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Length, StrIndex
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from .text import fold

# Longer input is cut: no product title is this long, and every word costs a LIKE.
MAX_QUERY_CHARS = 200
MAX_WORDS = 12
# Minimum pg_trgm word similarity for the typo fallback: "arabca" vs "arabica" scores 0.57, while
# the extension's default threshold (0.6) would miss it.
TYPO_THRESHOLD = 0.5
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchQuery:
    text: str  # what the user typed, trimmed and cut to MAX_QUERY_CHARS (shown back to them)
    phrase: str  # folded words joined by one space
    words: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str | None) -> SearchQuery:
        text = " ".join((raw or "").split())[:MAX_QUERY_CHARS]
        words = tuple(dict.fromkeys(_WORD.findall(fold(text))))[:MAX_WORDS]
        return cls(text=text, phrase=" ".join(words), words=words)

    def __bool__(self):
        return bool(self.words)


def search(queryset, query: SearchQuery, *, typo_fallback: bool = True):
    """Products of `queryset` matching `query`, annotated with `relevance` (higher first).

    An empty query (no letters or digits) matches nothing.
    """
    if not query:
        return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))
    matched = queryset.filter(_all_words(query.words))
    if connection.vendor != "postgresql":
        return matched.annotate(relevance=Cast(_score(query), FloatField()))
    if typo_fallback and not matched.exists():
        return _typo_matches(queryset, query)
    return matched.annotate(relevance=_score(query) + _pg_rank(query))


def _all_words(words) -> Q:
    q = Q()
    for word in words:
        # Both sides are folded lower case, so the case-sensitive LIKE is right and can use the
        # trigram index (icontains would wrap the column in UPPER()).
        q &= Q(search_text__contains=word)
    return q


def _found(fragment: str, *, in_title: bool = False):
    """1 when the fragment occurs in search_text (or, in_title, first occurs within the title,
    which search_text begins with), else 0."""
    position = StrIndex("search_text", Value(fragment))
    condition = GreaterThan(position, 0)
    if in_title:
        condition = condition & LessThanOrEqual(position, Length("title"))
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _score(query: SearchQuery):
    """Phrase in the title 8, title starting with the phrase 4, phrase anywhere 4, each word in
    the title 2, each word anywhere 1 (every product matched has them all)."""
    starts = Case(When(search_text__startswith=query.phrase, then=Value(1)), default=Value(0),
                  output_field=IntegerField())
    score = _found(query.phrase, in_title=True) * 8 + starts * 4 + _found(query.phrase) * 4 + Value(len(query.words))
    for word in query.words:
        score = score + _found(word, in_title=True) * 2
    return score


def _pg_rank(query: SearchQuery):
    from django.contrib.postgres.search import SearchQuery as PgQuery
    from django.contrib.postgres.search import SearchRank, SearchVector, TrigramWordSimilarity

    vector = SearchVector("search_text", config="simple")
    return (SearchRank(vector, PgQuery(query.phrase, config="simple", search_type="plain"))
            + TrigramWordSimilarity(Value(query.phrase), F("search_text")))


def _typo_matches(queryset, query: SearchQuery):
    from django.contrib.postgres.search import TrigramWordSimilarity

    return (queryset.annotate(relevance=TrigramWordSimilarity(Value(query.phrase), F("search_text")))
            .filter(relevance__gte=TYPO_THRESHOLD))

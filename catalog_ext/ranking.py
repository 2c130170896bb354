"""Accent-free search over Product.search_text, ranked by relevance, on SQLite and PostgreSQL.

The query is folded the same way as the column (catalog_ext.text.fold), so "ca phe son la",
"CHE SHAN TUYET" and "Chiềng Mai" all meet the folded text (title, producer, commune, GI).
The score, the same on both databases, puts the whole phrase in the title first, then words in the
title, then words elsewhere.

- SQLite: a product matches when its text contains every query word (LIKE, wildcards escaped).
- PostgreSQL: full-text match (SearchVector over search_text, config "simple"; the last word as a
  prefix) on a GIN index; SearchRank refines the order when a few hundred products match; when
  nothing matches, a trigram word-similarity fallback on a GIN trigram index tolerates typos
  ("arabca" finds arabica). Indexes: migration catalog_ext 0002_search_indexes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Length, StrIndex
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from .text import fold

# Longer input is cut: no product title is this long, and every word costs a condition.
MAX_QUERY_CHARS = 200
MAX_WORDS = 12
# Minimum pg_trgm word similarity for the typo fallback: "arabca" vs "arabica" scores 0.57, while
# the extension's default threshold (0.6) would miss it.
TYPO_THRESHOLD = 0.5
# Up to this many matches the PostgreSQL full-text rank refines the order (see _pg_search).
FULL_RANK_LIMIT = 500
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
    if connection.vendor == "postgresql":
        return _pg_search(queryset, query, typo_fallback=typo_fallback)
    return queryset.filter(_all_words(query.words)).annotate(relevance=Cast(_score(query), FloatField()))


def _pg_search(queryset, query: SearchQuery, *, typo_fallback: bool):
    """Full-text match ("ca ph" finds "ca phe"), answered by the GIN index on
    to_tsvector('simple', search_text); the trigram fallback only when nothing matches."""
    from django.contrib.postgres.search import SearchQuery as TsQuery
    from django.contrib.postgres.search import SearchRank, SearchVector

    vector = SearchVector("search_text", config="simple")  # the indexed expression, verbatim
    # Whole words, and the last one as a prefix (it may still be being typed): "ca ph" is
    # 'ca' & 'ph':*. Words are letters and digits only (_WORD), so quoting makes a safe raw tsquery.
    terms = [f"'{word}'" for word in query.words[:-1]] + [f"'{query.words[-1]}':*"]
    tsquery = TsQuery(" & ".join(terms), config="simple", search_type="raw")
    matched = queryset.alias(search_vector=vector).filter(search_vector=tsquery)
    # One cheap probe decides the path: nothing matched -> typo fallback; a few hundred -> add the
    # full-text rank; more -> the phrase/title score alone, since ts_rank re-parses every matching
    # row (about 120 ms for 16,000 matches of 100,000 products) and the page must stay fast.
    probe = len(matched.order_by().prefetch_related(None).values_list("pk", flat=True)[: FULL_RANK_LIMIT + 1])
    if probe == 0 and typo_fallback:
        return _typo_matches(queryset, query)
    if probe <= FULL_RANK_LIMIT:
        return matched.annotate(relevance=_score(query) + SearchRank(vector, tsquery))
    return matched.annotate(relevance=Cast(_score(query), FloatField()))


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


def _typo_matches(queryset, query: SearchQuery):
    """Products whose text holds something close to the query ("arabca" ~ "arabica").

    `search_text %> phrase` is answered by the trigram index; its threshold is a setting of the
    session (pg_trgm.word_similarity_threshold), set here because the default 0.6 is too strict.
    """
    from django.contrib.postgres.lookups import TrigramWordSimilar
    from django.contrib.postgres.search import TrigramWordSimilarity

    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(TYPO_THRESHOLD)])
    return (queryset.filter(TrigramWordSimilar(F("search_text"), Value(query.phrase)))
            .annotate(relevance=TrigramWordSimilarity(Value(query.phrase), F("search_text"))))

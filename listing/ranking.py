"""Accent-free search over Product.search_text, ranked by relevance, on SQLite and PostgreSQL.

The query is folded the same way as the column (core.text.fold), so "ca phe son la",
"CHE SHAN TUYET" and "Chiềng Mai" all meet the folded text (title, producer, commune, GI).
The score, the same on both databases, puts the whole phrase in the title first, then words in the
title, then words elsewhere.

- SQLite: a product matches when its text contains every query word (LIKE, wildcards escaped).
- PostgreSQL: full-text match (the stored vector of search_text, config "simple"; the last word as
  a prefix) on a GIN index; SearchRank refines the order when a few hundred products match; when
  nothing matches, misspelt words are corrected against the catalogue's vocabulary ("arabca"
  finds arabica). Column and indexes: migrations catalog_ext 0002_search_indexes and
  0005_stored_search_vector.

A search page lists at most the newest SEARCH_CAP matches (listing.best_matches).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Expression, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import Col
from django.db.models.functions import Cast, Length, StrIndex
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from catalog_ext.search_text import WORD
from core.text import fold

# Longer input is cut: no product title is this long, and every word costs a condition.
MAX_QUERY_CHARS = 200
MAX_WORDS = 12
# Up to this many matches the PostgreSQL full-text rank refines the order (see _pg_search).
FULL_RANK_LIMIT = 500


@dataclass(frozen=True)
class SearchQuery:
    text: str  # what the user typed, trimmed and cut to MAX_QUERY_CHARS (shown back to them)
    phrase: str  # folded words joined by one space
    words: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str | None) -> SearchQuery:
        text = " ".join((raw or "").split())[:MAX_QUERY_CHARS]
        words = tuple(dict.fromkeys(WORD.findall(fold(text))))[:MAX_WORDS]
        return cls(text=text, phrase=" ".join(words), words=words)

    def __bool__(self):
        return bool(self.words)


def search(queryset, query: SearchQuery, *, typo_fallback: bool = True):
    """Products of `queryset` matching `query`, annotated with `relevance` (higher first).

    An empty query (no letters or digits) matches nothing.
    """
    matches, relevance = matching(queryset, query, typo_fallback=typo_fallback)
    return matches.annotate(relevance=relevance)


def matching(queryset, query: SearchQuery, *, typo_fallback: bool = True):
    """(the products of `queryset` matching `query`, the relevance expression that ranks them).

    Kept apart so that products already known to match (a search page's candidates, picked by
    id) can be ranked without the match condition: the database would test it again for nothing."""
    if not query:
        return queryset.none(), Value(0.0, output_field=FloatField())
    if connection.vendor == "postgresql":
        return _pg_search(queryset, query, typo_fallback=typo_fallback)
    return queryset.filter(_all_words(query.words)), Cast(_score(query), FloatField())


class StoredSearchVector(Expression):
    """The product's catalogue_product.search_vector column (PostgreSQL only): to_tsvector('simple',
    search_text), GENERATED ... STORED by migration catalog_ext 0005, GIN-indexed. The model does
    not declare it (SQLite has no tsvector), so it is referred to as a column of the query's
    product table; as a Col it is relabelled like any column when the query becomes a subquery."""

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        from django.contrib.postgres.search import SearchVectorField

        column = SearchVectorField()
        column.set_attributes_from_name("search_vector")
        column.model = query.model
        return Col(query.get_initial_alias(), column, output_field=column)


def _pg_search(queryset, query: SearchQuery, *, typo_fallback: bool):
    """Full-text match ("ca ph" finds "ca phe"), answered by the GIN index on the stored vector;
    the typo fallback only when nothing matches."""
    from django.contrib.postgres.search import SearchQuery as TsQuery
    from django.contrib.postgres.search import SearchRank

    # Stored, not computed: an expression index made every row the planner checked re-parse its
    # text (a LIMIT was planned as a sequential scan computing to_tsvector per product).
    vector = StoredSearchVector()
    # Whole words, and the last one as a prefix (it may still be being typed): "ca ph" is
    # 'ca' & 'ph':*. Words are letters and digits only (WORD), so quoting makes a safe raw tsquery.
    terms = [f"'{word}'" for word in query.words[:-1]] + [f"'{query.words[-1]}':*"]
    tsquery = TsQuery(" & ".join(terms), config="simple", search_type="raw")
    matched = queryset.alias(search_vector=vector).filter(search_vector=tsquery)
    # One cheap probe decides the path: nothing matched -> typo fallback; a few hundred -> add the
    # full-text rank; more -> the phrase/title score alone (ranking thousands of matches by ts_rank
    # cost about 120 ms at 100,000 products; the page must stay fast).
    probe = len(matched.order_by().prefetch_related(None).values_list("pk", flat=True)[: FULL_RANK_LIMIT + 1])
    if probe == 0 and typo_fallback:
        return _typo_matches(queryset, query)
    if probe <= FULL_RANK_LIMIT:
        return matched, _score(query) + SearchRank(vector, tsquery)
    return matched, Cast(_score(query), FloatField())


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
    """Products found by the query with its misspelt words corrected ("arabca" -> "arabica").

    Each word not in the catalogue's vocabulary (catalog_ext.models.SearchWord) is replaced by the
    closest word there, within MAX_EDITS edits (fuzzystrmatch's levenshtein over a few thousand
    short words, a few milliseconds), then the full-text search runs as for any query. Comparing
    the query with every product's text instead took 1.7 s at 100,000 products."""
    corrected = corrected_query(query)
    if corrected is None:
        return queryset.none(), Value(0.0, output_field=FloatField())
    return _pg_search(queryset, corrected, typo_fallback=False)


# Edits allowed per word length: one for short words ("chou" -> "chau"), two from seven letters on.
def _max_edits(word: str) -> int:
    return 0 if len(word) < 3 else 1 if len(word) < 7 else 2


def corrected_query(query: SearchQuery) -> SearchQuery | None:
    """The query with each unknown word replaced by its nearest vocabulary word, or None when no
    word could be corrected. The last word may be a prefix still being typed: known if a
    vocabulary word starts with it."""
    from catalog_ext.models import SearchWord

    table = SearchWord._meta.db_table
    words, changed = [], False
    with connection.cursor() as cursor:
        for position, word in enumerate(query.words):
            last = position == len(query.words) - 1
            cursor.execute(
                f"SELECT 1 FROM {table} WHERE word = %s OR (%s AND word LIKE %s) LIMIT 1",
                [word, last, word + "%"],  # letters and digits only (WORD): nothing to escape
            )
            if cursor.fetchone() or not _max_edits(word):
                words.append(word)
                continue
            edits = _max_edits(word)
            cursor.execute(
                f"SELECT word FROM {table} WHERE length(word) BETWEEN %s AND %s"
                f" AND levenshtein_less_equal(word, %s, %s) <= %s"
                f" ORDER BY levenshtein(word, %s), word LIMIT 1",
                [len(word) - edits, len(word) + edits, word, edits, edits, word],
            )
            row = cursor.fetchone()
            if row is None:
                words.append(word)
                continue
            words.append(row[0])
            changed = True
    if not changed:
        return None
    return SearchQuery(text=query.text, phrase=" ".join(words), words=tuple(dict.fromkeys(words)))

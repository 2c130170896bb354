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

Synonyms the office keeps (listing.synonyms): a query word may also be met by what the catalogue
calls it ("cafe" by "ca phe"); the score then reads the query in the catalogue's words.

A search page lists at most the newest SEARCH_CAP matches (listing.best_matches). On PostgreSQL it
reads them from the narrow search table with this module's score, rank and tsquery written as SQL
once per query shape, the words bound as parameters (listing.search_rows, from terms()).
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

from .synonyms import alternatives

# Longer input is cut: no product title is this long, and every word costs a condition.
MAX_QUERY_CHARS = 200
# Control characters (C0 but the whitespace split() takes, and DEL) are dropped from what was typed:
# PostgreSQL's text refuses NUL, and the words are shown back and recorded (Oscar's UserSearch).
_CONTROL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
MAX_WORDS = 12
# Up to this many matches the PostgreSQL full-text rank refines the order (see matching).
FULL_RANK_LIMIT = 500


@dataclass(frozen=True)
class SearchQuery:
    text: str  # what the user typed, trimmed and cut to MAX_QUERY_CHARS (shown back to them)
    phrase: str  # folded words joined by one space
    words: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str | None) -> SearchQuery:
        text = " ".join((raw or "").translate(_CONTROL).split())[:MAX_QUERY_CHARS]
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
    id) can be ranked without the match condition: the database would test it again for nothing.
    On PostgreSQL one cheap probe decides the path: nothing matched -> typo fallback; a few hundred
    -> add the full-text rank; more -> the phrase/title score alone (ranking thousands of matches
    by ts_rank cost about 120 ms at 100,000 products; the page must stay fast)."""
    if not query:
        return queryset.none(), Value(0.0, output_field=FloatField())
    found = match(queryset, query)
    if not found.full_text:
        return found.queryset, found.relevance()
    matched = found.probe()
    if matched == 0 and typo_fallback:
        return _typo_matches(queryset, found.query)
    return found.queryset, found.relevance(matched)


@dataclass(frozen=True)
class Match:
    """The products of a scope that match a query, and how they are scored; building it asks the
    database nothing, so a page can choose which queries to run (listing.search_results)."""

    queryset: object  # the scope's products meeting every word
    query: SearchQuery  # the words as scored: the catalogue's words for synonyms
    tsquery: object = None  # PostgreSQL's full-text query; None on SQLite (no probe, no rank)

    @property
    def full_text(self) -> bool:
        return self.tsquery is not None

    def probe(self) -> int:
        """How many products match, counted up to FULL_RANK_LIMIT + 1: one query that stops there."""
        return len(self.queryset.order_by().prefetch_related(None).values_list("pk", flat=True)[: FULL_RANK_LIMIT + 1])

    def relevance(self, matched: int | None = None):
        """The score; plus the full-text rank when `matched` (what probe() said) is at most
        FULL_RANK_LIMIT."""
        if self.full_text and matched is not None and matched <= FULL_RANK_LIMIT:
            from django.contrib.postgres.search import SearchRank

            return _score(self.query) + SearchRank(StoredSearchVector(), self.tsquery)
        return Cast(_score(self.query), FloatField())

    def score_columns(self, *, rank: bool) -> dict:
        """The relevance as columns to add up after reading them: "relevance_score" (what
        relevance() is without the rank) and, with `rank` on PostgreSQL, "relevance_rank" (the
        full-text rank as double precision, exactly as PostgreSQL adds it to the integer score)."""
        columns = {"relevance_score": Cast(_score(self.query), FloatField())}
        if rank and self.full_text:
            from django.contrib.postgres.search import SearchRank

            columns["relevance_rank"] = Cast(SearchRank(StoredSearchVector(), self.tsquery), FloatField())
        return columns

    def corrected(self) -> SearchQuery | None:
        """The typo fallback's words (PostgreSQL), or None when no word could be corrected."""
        return corrected_query(self.query) if self.full_text else None


def match(queryset, query: SearchQuery) -> Match:
    """The products of `queryset` meeting every word of a non-empty `query` (or one of its synonyms)."""
    groups = alternatives(query.words)
    scored = _in_catalogue_words(query, groups)
    if connection.vendor != "postgresql":
        return Match(queryset.filter(_all_groups(groups)), scored)
    tsquery = _tsquery(groups)
    # Stored, not computed: an expression index made every row the planner checked re-parse its
    # text (a LIMIT was planned as a sequential scan computing to_tsvector per product).
    return Match(queryset.alias(search_vector=StoredSearchVector()).filter(search_vector=tsquery), scored, tsquery)


def _in_catalogue_words(query: SearchQuery, groups) -> SearchQuery:
    """The query with each synonym replaced by its first meaning ("cafe son la" -> "ca phe son
    la"), for the score: the title holds the catalogue's words, not the shopper's."""
    if all(len(group) == 1 for group in groups):
        return query
    words = tuple(word for group in groups for word in (group[1] if len(group) > 1 else group[0]))
    return SearchQuery(text=query.text, phrase=" ".join(words), words=tuple(dict.fromkeys(words)))


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


def _tsquery(groups):
    """Full-text match ("ca ph" finds "ca phe"), answered by the GIN index on the stored vector:
    tsquery_text(groups) as PostgreSQL's raw tsquery (a bound parameter of to_tsquery)."""
    from django.contrib.postgres.search import SearchQuery as TsQuery

    return TsQuery(tsquery_text(groups), config="simple", search_type="raw")


def terms(query: SearchQuery) -> tuple[SearchQuery, str]:
    """What match() makes of a non-empty query without building a queryset: the words as scored
    (the catalogue's words for synonyms) and the raw tsquery (listing.search_rows: PostgreSQL)."""
    groups = alternatives(query.words)
    return _in_catalogue_words(query, groups), tsquery_text(groups)


def tsquery_text(groups) -> str:
    """Whole words, and the last one as a prefix (it may still be being typed): "ca ph" is
    'ca' & 'ph':*. Words are letters and digits only (WORD), so quoting makes a safe raw tsquery
    (and it reaches the SQL as a parameter). A word with synonyms is met by itself or any
    meaning: ('cafe' | 'ca' & 'phe')."""
    parts = []
    for position, group in enumerate(groups):
        last = position == len(groups) - 1
        options = [" & ".join(f"'{word}'" + (":*" if last and option == group[0] else "") for word in option)
                   for option in group]
        parts.append(options[0] if len(options) == 1 else "(" + " | ".join(f"({o})" for o in options) + ")")
    return " & ".join(parts)


def _all_words(words) -> Q:
    q = Q()
    for word in words:
        # Both sides are folded lower case, so the case-sensitive LIKE is right and can use the
        # trigram index (icontains would wrap the column in UPPER()).
        q &= Q(search_text__contains=word)
    return q


def _all_groups(groups) -> Q:
    """Every query word met, by itself or by one of its synonyms' words (all of them)."""
    q = Q()
    for group in groups:
        either = Q()
        for option in group:
            either |= _all_words(option)
        q &= either
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
    return matching(queryset, corrected, typo_fallback=False)


# Edits allowed per word length: one for short words ("chou" -> "chau"), two from seven letters on.
def _max_edits(word: str) -> int:
    return 0 if len(word) < 3 else 1 if len(word) < 7 else 2


def known_words_sql(words: str, prefix: str) -> tuple[str, str]:
    """The SQL of which of the words (the parameter `words`, a text array) the vocabulary knows, and
    of whether a vocabulary word starts with `prefix` (a parameter: the last word and "%"):
    vocabulary_params() gives both. Letters and digits only (WORD): the prefix has nothing to
    escape."""
    from catalog_ext.models import SearchWord

    table = SearchWord._meta.db_table
    return (f"ARRAY(SELECT w FROM unnest({words}::text[]) AS w WHERE EXISTS (SELECT 1 FROM {table} WHERE word = w))",
            f"EXISTS (SELECT 1 FROM {table} WHERE word LIKE {prefix})")


def vocabulary_params(query: SearchQuery) -> tuple[list[str], str]:
    return list(query.words), query.words[-1] + "%"


def may_be_corrected_sql(words: str) -> str:
    """The SQL of "some of the words (the parameter `words`: editable_words()) is not a word of the
    vocabulary": else corrected_query() corrects nothing (it keeps every known word and every word
    too short to edit) and answers None without a query. A superset of the searches it corrects
    (a last word known only as a prefix counts as unknown here)."""
    from catalog_ext.models import SearchWord

    table = SearchWord._meta.db_table
    return (f"EXISTS (SELECT 1 FROM unnest({words}::text[]) AS e(w)"
            f" WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE word = e.w))")


def editable_words(query: SearchQuery) -> list[str]:
    """The words corrected_query() may replace: long enough to have an edit."""
    return [word for word in query.words if _max_edits(word)]


def corrected_query(query: SearchQuery, vocabulary: tuple | None = None) -> SearchQuery | None:
    """The query with each unknown word replaced by its nearest vocabulary word, or None when no
    word could be corrected. The last word may be a prefix still being typed: known if a
    vocabulary word starts with it. `vocabulary`: (the known words, the last word is a prefix) as
    known_words_sql() answered it for this query, when already read (listing.search_rows: in the
    search's own statement)."""
    from catalog_ext.models import SearchWord

    table = SearchWord._meta.db_table
    words, changed = [], False
    last = query.words[-1]
    with connection.cursor() as cursor:
        # Which words the vocabulary knows, all in one query (a query per word before); the last
        # word also when a vocabulary word starts with it.
        if vocabulary is None:
            cursor.execute("SELECT {}, {}".format(*known_words_sql("%s", "%s")), vocabulary_params(query))
            vocabulary = cursor.fetchone()
        found, last_is_a_prefix = vocabulary
        known = set(found) | ({last} if last_is_a_prefix else set())
        for word in query.words:
            if word in known or not _max_edits(word):
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

"""A search's candidates read from the narrow search table (PostgreSQL), by SQL written once per
query shape with every word, filter and date a bound parameter (issue 21: a search no one made
before, at 100,000 products).

`listing_searchrow` (migration listing 0004, kept exact by triggers) holds one row per browsable
product with only what a search reads: the search text and its vector, the date, the web price,
GI, producer, group, the badge facts of a stretch of days and whether the web record sells now.
A candidate is one narrow row: no second read of the wide product row by id, no badge period or
stock record look-up per candidate (three index look-ups a candidate, 8,000–10,000 buffers a pass,
before).

One statement answers a search page: the newest cap + 1 matches of the filters, ordered,
numbered by their facet combination and counted by PostgreSQL, one row back (what
best_matches.ranked_in_sql did over the product table before); with facet filters, the
candidates before them (for the facet counts) and after them from one scan of the matches, and
the probe (how many match the words at all) in the same statement. It is text made from the query's shape only (how many words are scored, which filters,
the sort, facets or not, the rank), kept per shape; the words reach it as named parameters (the
full-text query, LIKE and STRPOS operands), never pasted (the ORM compiled the same query for
every search before: about a fifth of a new search's CPU). The answers are those of the ORM's
query over the product table (tests/listing/test_search_results.py holds them equal).

The last word, a prefix ('ph':*), is asked as the lexemes starting with it (listing_searchlexeme,
migration listing 0005: a superset of the lexemes of the table's vectors, kept by its triggers), exact words
GIN skips through instead of a bitmap of every posting list under the prefix (EXPANDED); the rank
keeps the query as typed.

audit() compares every row with the ORM's own answers, and the vectors' lexemes with the lexeme
set (`manage.py search_rows_audit`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connections, transaction

from .compiled import prepared_cursor
from .ranking import editable_words, known_words_sql, may_be_corrected_sql, vocabulary_params

TABLE = "listing_searchrow"

# Today's badge facts of a row: its own when its stretch holds today, else the period's (a row
# written before midnight crossed a certificate's expiry), as catalog_ext.badges.with_badges.
_HOLDS = "(r.badge_from <= %(today)s AND %(today)s <= r.badge_until)"
_PERIOD = ("(SELECT b.{column} FROM catalog_ext_badgeperiod b WHERE b.product_id = r.product_id"
           " AND b.starts_on <= %(today)s AND (b.ends_on IS NULL OR b.ends_on >= %(today)s)"
           " ORDER BY b.starts_on DESC LIMIT 1)")
STARS_TODAY = f"(CASE WHEN {_HOLDS} THEN r.stars ELSE {_PERIOD.format(column='stars')} END)"
GI_OK_TODAY = f"(CASE WHEN {_HOLDS} THEN r.gi_ok ELSE COALESCE({_PERIOD.format(column='gi_ok')}, false) END)"
# The query as typed, parsed once per statement: a sub-select (an InitPlan), not a call per row. The
# statement is prepared with one generic plan (read()), where the words are a parameter and
# to_tsquery() of it would otherwise be evaluated again for each row the rank reads.
TSQUERY = "(SELECT to_tsquery('simple'::regconfig, %(tsquery)s))"

# What a row's vector must match (the WHERE of a search; the rank keeps TSQUERY, the query as
# typed). With Shape.expanded, the last word's prefix ('ph':*) is asked as the lexemes starting
# with it (listing_searchlexeme, migration listing 0005: every lexeme of the table's vectors, and
# maybe some no vector holds any more, which match nothing), which matches the same rows: none,
# the word exact (no vector holds a lexeme under the prefix, so nothing
# matches, as with the prefix); up to EXPAND_LIMIT, the exact word rewritten as their OR
# ('phe' | 'pho'); more, the prefix as typed (GIN reads every posting list under it either way).
# A lexeme is quoted for tsquery's input ('' and \\ escaped) and cast, never parsed again.
EXPAND_LIMIT = 8
_QUOTED = r"'''' || replace(replace(x.lexeme, '\', '\\'), '''', '''''') || ''''"
EXPANDED = (
    f"(SELECT CASE WHEN count(*) = 0 THEN to_tsquery('simple'::regconfig, %(tsquery_exact)s)"
    f" WHEN count(*) <= {EXPAND_LIMIT} THEN ts_rewrite(to_tsquery('simple'::regconfig, %(tsquery_exact)s),"
    f" %(prefix_word)s::tsquery, string_agg({_QUOTED}, ' | ')::tsquery) ELSE {TSQUERY} END"
    # The range spelt out (the column is COLLATE "C"): with the pattern a parameter, the planner
    # cannot derive it from LIKE, and the generic plan would read the whole index.
    " FROM (SELECT l.lexeme FROM listing_searchlexeme l WHERE l.lexeme >= %(prefix_from)s"
    " AND l.lexeme < %(prefix_to)s AND l.lexeme LIKE %(prefix_like)s"
    f" ORDER BY l.lexeme LIMIT {EXPAND_LIMIT + 1}) AS x)"
)
_PREFIX = re.compile(r"'([a-z0-9]+)':\*")


def expansion(tsquery: str) -> dict | None:
    """The parameters of EXPANDED for this raw tsquery (listing.ranking.tsquery_text), or None when
    it is asked as typed: no prefix or several, a word that occurs twice (ts_rewrite cannot tell
    the exact word from the prefix: it would rewrite both), or a word that is not plain ASCII
    letters and digits (the 'simple' configuration keeps those as one lexeme, unchanged, and LIKE
    has nothing to escape in them)."""
    prefixes = _PREFIX.findall(tsquery)
    if len(prefixes) != 1 or tsquery.count(":*") != 1:
        return None
    word = prefixes[0]
    exact = tsquery.replace(f"'{word}':*", f"'{word}'")
    if exact.count(f"'{word}'") != 1:
        return None
    return {"tsquery_exact": exact, "prefix_word": f"'{word}'", "prefix_like": word + "%",
            # every text starting with `word` (ASCII letters and digits) sorts in [from, to) in "C"
            "prefix_from": word, "prefix_to": word[:-1] + chr(ord(word[-1]) + 1)}


def match_sql(expanded: bool) -> str:
    return f"r.search_vector @@ {EXPANDED if expanded else TSQUERY}"


@dataclass(frozen=True)
class Shape:
    """Everything the SQL's text depends on."""

    scored_words: int  # words of the relevance score (0: not ordered by relevance)
    filters: tuple[str, ...]  # names of the filters of the candidates read (facets counted over them)
    order_by: str
    facets: bool
    # "", "always", "if_few" (the full-text rank counts when at most `rank_limit` matches were
    # read) or "if_probe" (when at most `rank_limit` products match the words at all)
    rank: str
    kept: tuple[str, ...] = ()  # facet filters: the page's candidates are those of `filters` and these
    probe: bool = False  # count the words' matches (no filter) up to `probe_limit`
    # Only when nothing was read (PostgreSQL runs a subquery in a CASE branch not taken never):
    # the probe (`probe_limit`), and which words the vocabulary knows (the typo fallback's first
    # question, listing.ranking.corrected_query). A page with results costs nothing more; an empty
    # one saves a round trip for each.
    probe_if_empty: bool = False
    vocabulary: bool = False
    expanded: bool = False  # the last word's prefix asked as the lexemes it stands for (EXPANDED)
    # The statement's numbers, written into its text, not bound: a generic plan knows a LIMIT
    # only when it is a constant (with a parameter it guesses a tenth of the rows, and walked the
    # date index past every row for a search that matched nothing). A handful of values in all
    # (best_matches.SEARCH_CAP, ranking.FULL_RANK_LIMIT).
    limit: int = 0  # matches read
    cap: int = 0  # of which the newest listed
    rank_limit: int = 0  # rank "if_few"/"if_probe": the rank counts up to this many matches
    probe_limit: int = 0  # probe / probe_if_empty: matches counted up to this


FILTERS = {
    "stars": f"{STARS_TODAY} >= %(stars)s",
    "gi": (f"r.gi_id IN (SELECT g.id FROM catalog_ext_geographicalindication g WHERE g.slug = %(gi)s)"
           f" AND {GI_OK_TODAY}"),
    "group": "r.ocop_group = %(group)s",
    "producer": "r.producer_id IN (SELECT p.id FROM partner_partner p WHERE p.code = %(producer)s)",
    "commune": "r.producer_id IN (SELECT p.id FROM partner_partner p WHERE p.ward_code = %(commune)s)",
    "price_min": "r.web_price >= %(price_min)s",
    "price_max": "r.web_price <= %(price_max)s",
    "in_stock": "r.in_stock",
}


def filter_values(filters) -> dict:
    """The active filters of a listing.filters.Filters as named parameters (their names: the shape)."""
    values = {"stars": filters.stars, "gi": filters.gi or None, "group": filters.group or None,
              "producer": filters.producer or None, "commune": filters.commune, "price_min": filters.price_min,
              "price_max": filters.price_max, "in_stock": True if filters.in_stock else None}
    return {name: value for name, value in values.items() if value is not None}


def _score(words: int) -> str:
    """listing.ranking._score over the row: phrase in the title 8, title starting with the phrase 4,
    phrase anywhere 4, each word in the title 2, each word anywhere 1 (every match has them all)."""
    def found(param: str, in_title: bool = False) -> str:
        position = f"STRPOS(r.search_text, %({param})s)"
        condition = f"{position} > 0" + (f" AND {position} <= r.title_length" if in_title else "")
        return f"CASE WHEN {condition} THEN 1 ELSE 0 END"

    parts = [f"({found('phrase', True)}) * 8", "(CASE WHEN r.search_text LIKE %(phrase_like)s THEN 1 ELSE 0 END) * 4",
             f"({found('phrase')}) * 4", str(int(words))]
    parts += [f"({found(f'word{n}', True)}) * 2" for n in range(words)]
    return "(" + " + ".join(parts) + ")::double precision"


_sql_of_shape: dict[Shape, str] = {}


def sql_for(shape: Shape) -> str:
    sql = _sql_of_shape.get(shape)
    if sql is None:
        sql = _build(shape)
        if len(_sql_of_shape) > 512:  # shapes are few (filters × sorts × words); never grow for ever
            _sql_of_shape.clear()
        _sql_of_shape[shape] = sql
    return sql


def _build(shape: Shape) -> str:
    """One statement: the newest `limit` matches of the filters (ocop_read, numbered in that order
    as read: no sort), the newest `cap` of them (ocop_newest) in the page's order, and their facet
    combinations counted; with `kept`, the page's candidates are instead the newest matches that also pass the
    facet filters, from the same scan of the matches (the facets count the matches before those
    filters: Filters.facet_combos); with `probe`, how many products match the words at all."""
    words_match = match_sql(shape.expanded)
    where = " AND ".join([words_match, *(FILTERS[name] for name in shape.filters)])
    relevance_words = shape.scored_words or shape.rank
    if shape.kept:
        # Every match of the words and the non-facet filters, once; both sets are taken from it.
        needed = ["product_id", "date_created", "web_price", "gi_id", "producer_id", "ocop_group", "stars", "gi_ok",
                  "badge_from", "badge_until", "in_stock"]
        if relevance_words:
            needed += ["search_text", "title_length", "search_vector"]
        source = "ocop_match"
        match = (f"ocop_match AS MATERIALIZED (SELECT {', '.join('r.' + n for n in needed)} FROM {TABLE} r"
                 f" WHERE {where}), ")
        read_where, kept_where = "", " WHERE " + " AND ".join(FILTERS[name] for name in shape.kept)
    else:
        source, match, read_where, kept_where = TABLE, "", f" WHERE {where}", None
    columns = ['r.product_id AS "pk"', 'r.date_created AS "date_created"', 'r.web_price AS "listing_price"']
    if shape.scored_words:
        columns.append(f'{_score(shape.scored_words)} AS "relevance_score"')
    if shape.rank:
        columns.append(f'ts_rank(r.search_vector, {TSQUERY})::double precision AS "relevance_rank"')
    sort_columns = list(columns)
    if "badge_stars" in shape.order_by:
        sort_columns.append(f'{STARS_TODAY} AS "badge_stars"')
    if shape.facets:
        # Ids, not names: a producer's code and a GI's slug are unique, so grouping by the ids
        # groups as by the facet columns; the names are joined to the combinations (a few dozen).
        columns += [f'{STARS_TODAY} AS "badge_stars"', f'{GI_OK_TODAY} AS "badge_gi_ok"', 'r.gi_id AS "gi_id"',
                    'r.ocop_group AS "ocop_group"', 'r.producer_id AS "producer_id"', 'r.in_stock AS "facet_in_stock"']
    else:
        columns = sort_columns

    def newest(select: list[str], condition: str) -> str:
        # The newest matches first (a subquery: its LIMIT is taken before any column is computed),
        # then what the page needs of those alone.
        return (f"SELECT {', '.join(select)} FROM (SELECT * FROM {source} r{condition}"
                f" ORDER BY r.date_created DESC, r.product_id DESC LIMIT {int(shape.limit)}) AS r")

    relevance = '"relevance_score"'
    if shape.rank == "always":
        relevance = '("relevance_score" + "relevance_rank")'
    elif shape.rank:  # plus 0 (made float8): exactly the score, as when the rank does not count
        counted_by = "(SELECT count(*) FROM ocop_read)" if shape.rank == "if_few" else "(SELECT n FROM ocop_probe)"
        relevance = f'("relevance_score" + CASE WHEN {counted_by} <= {int(shape.rank_limit)} THEN "relevance_rank" ELSE 0 END)'
    order_by = shape.order_by.replace("{relevance}", relevance)
    # The combinations: the candidates grouped by their facet columns (typed columns, NULLs alike:
    # no text made of them), listed in the order of those columns. No candidate carries a
    # combination's number any more (a window sort of the `cap` rows each search): only SQLite's
    # path reads each candidate's facet columns (search_results._filtered).
    grouped = '"badge_stars", "badge_gi_ok", "gi_id", "ocop_group", "producer_id", "facet_in_stock"'
    counted = ("(SELECT json_agg(c) FROM (SELECT k.badge_stars, k.badge_gi_ok, g.slug AS \"gi__slug\","
               ' g.name AS "gi__name", k.ocop_group, p.code AS "producer__code", p.name AS "producer__name",'
               ' p.ward_code AS "producer__ward_code", k.facet_in_stock, k.n'
               f" FROM (SELECT {grouped}, count(*) AS n FROM ocop_newest GROUP BY {grouped}) AS k"
               " LEFT JOIN catalog_ext_geographicalindication g ON g.id = k.gi_id"
               " LEFT JOIN partner_partner p ON p.id = k.producer_id"
               ' ORDER BY k.badge_stars, k.badge_gi_ok, k.gi_id, k.ocop_group COLLATE "C", k.producer_id,'
               " k.facet_in_stock) AS c)") if shape.facets else "NULL"
    probe = (f"ocop_probe AS (SELECT count(*) AS n FROM (SELECT 1 FROM {TABLE} r WHERE {words_match}"
             f" LIMIT {int(shape.probe_limit)}) AS m), ") if shape.probe else ""
    listed = f"(SELECT string_agg(\"pk\"::text, ',' ORDER BY {order_by}) FROM ocop_newest)"
    kept_cte, kept = "", "NULL, NULL"
    if shape.kept:
        kept_cte = f", ocop_kept AS ({newest(sort_columns, kept_where)})"
        listed = "NULL"
        kept = ("(SELECT count(*) FROM ocop_kept), (SELECT string_agg(\"pk\"::text, ',' ORDER BY "
                f"{order_by}) FROM (SELECT * FROM ocop_kept ORDER BY \"date_created\" DESC, \"pk\" DESC"
                f" LIMIT {int(shape.cap)}) AS ocop_kept)")
    if_empty = "CASE WHEN NOT EXISTS (SELECT 1 FROM ocop_read) THEN {} END"
    # The probe only when the fallback may need it: nothing read and, when the vocabulary is asked
    # too, some word it may correct (else the fallback answers nothing whatever the probe says,
    # search_results._filtered_table, and the words' index scan is not made a second time).
    probe_if = if_empty if not shape.vocabulary else (
        f"CASE WHEN NOT EXISTS (SELECT 1 FROM ocop_read) AND {may_be_corrected_sql('%(editable)s')} THEN {{}} END")
    probed_if_empty = probe_if.format(
        f"(SELECT count(*) FROM (SELECT 1 FROM {TABLE} r WHERE {words_match}"
        f" LIMIT {int(shape.probe_limit)}) AS m)") if shape.probe_if_empty else "NULL"
    vocabulary = ", ".join(if_empty.format(sql) for sql in known_words_sql("%(vocabulary)s", "%(vocabulary_prefix)s")) \
        if shape.vocabulary else "NULL, NULL"
    # Each match read is numbered in the order its subquery gives it (the window needs no sort);
    # the newest `cap` are those numbered up to it.
    nth = ['row_number() OVER (ORDER BY r.date_created DESC, r.product_id DESC) AS "ocop_nth"']
    return (
        f"WITH {probe}{match}ocop_read AS ({newest(columns + nth, read_where)}),"
        f' ocop_newest AS (SELECT * FROM ocop_read WHERE "ocop_nth" <= {int(shape.cap)}){kept_cte}'
        f" SELECT (SELECT count(*) FROM ocop_read), {listed}, {counted}, {kept},"
        f" {'(SELECT n FROM ocop_probe)' if shape.probe else 'NULL'}, {probed_if_empty}, {vocabulary}"
    )


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class Read:
    matched: int  # matches of `filters` read, at most `limit`
    ids: tuple[int, ...]  # the newest `cap` of them in the page's order (not with `kept`)
    combos: list | None  # their facet combinations with counts
    kept_matched: int | None = None  # with `kept`: matches of every filter read, at most `limit`
    kept_ids: tuple[int, ...] = ()  # with `kept`: the newest `cap` of those, in the page's order
    probed: int | None = None  # with `probe_limit`: the words' matches, counted up to it
    # with `probe_if_empty`, when nothing was read (and, with `vocabulary_of`, some word may be
    # corrected: else None): the same count
    probed_if_empty: int | None = None
    vocabulary: tuple | None = None  # with `vocabulary_of`, when nothing was read: corrected_query's first answer


def read(*, tsquery: str, scored, filters: dict, order_by: str, facets: bool, cap: int, limit: int,
         today: dt.date, rank: str = "", rank_limit: int = 0, kept: dict | None = None,
         probe_limit: int | None = None, probe_if_empty: int | None = None, vocabulary_of=None,
         using: str = "default") -> Read:
    """The candidates of a search in one query (Read). `tsquery`: the raw full-text query
    (listing.ranking.terms); `scored`: the SearchQuery the relevance scores; `filters` and `kept`:
    filter_values() (`kept`: the facet filters, when the facets count the candidates before them);
    `probe_if_empty` (a limit) and `vocabulary_of` (a SearchQuery): what the fallbacks ask when
    nothing was read, read in this statement only then (Shape)."""
    words = scored.words if scored is not None and "{relevance}" in order_by else ()
    kept = kept or {}
    if probe_limit is not None and probe_if_empty is not None and probe_limit != probe_if_empty:
        raise ValueError("one probe limit")
    expand = expansion(tsquery)
    shape = Shape(len(words), tuple(name for name in FILTERS if name in filters), order_by, facets, rank,
                  tuple(name for name in FILTERS if name in kept), probe_limit is not None,
                  probe_if_empty is not None, vocabulary_of is not None, expand is not None,
                  limit=limit, cap=cap, rank_limit=rank_limit if rank in ("if_few", "if_probe") else 0,
                  probe_limit=next((n for n in (probe_limit, probe_if_empty) if n is not None), 0))
    params = {"tsquery": tsquery, "today": today, **filters, **kept, **(expand or {})}
    if words:
        params.update(phrase=scored.phrase, phrase_like=_like_prefix(scored.phrase),
                      **{f"word{n}": word for n, word in enumerate(words)})
    if vocabulary_of is not None:
        params["vocabulary"], params["vocabulary_prefix"] = vocabulary_params(vocabulary_of)
        if probe_if_empty is not None:
            params["editable"] = editable_words(vocabulary_of)
    sql = sql_for(shape)
    with prepared_cursor(using, sql, params) as cursor:
        cursor.execute(sql, params)
        (matched, listed, combinations, kept_matched, kept_listed, probed, probed_if_empty, known,
         last_is_a_prefix) = cursor.fetchone()
    ids = tuple(int(pk) for pk in listed.split(",")) if listed else ()
    kept_ids = tuple(int(pk) for pk in kept_listed.split(",")) if kept_listed else ()
    vocabulary = (known, last_is_a_prefix) if known is not None else None
    return Read(matched, ids, combinations, kept_matched, kept_ids, probed, probed_if_empty, vocabulary)


def probe(tsquery: str, limit: int, using: str = "default") -> int:
    """How many browsable products match, counted up to `limit`: one query that stops there."""
    with connections[using].cursor() as cursor:
        expand = expansion(tsquery)
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} r WHERE {match_sql(expand is not None)}"
                       " LIMIT %(limit)s) AS m", {"tsquery": tsquery, "limit": limit, **(expand or {})})
        return cursor.fetchone()[0]


# ------------------------------------------------------------------------------------- the audit
AUDITED = ("date_created", "title_length", "search_text", "web_price", "gi_id", "producer_id", "ocop_group",
           "stars", "gi_ok", "in_stock", "vector")


def audit(using: str = "default", on: dt.date | None = None) -> list[tuple[int, str, object, object]]:
    """Every difference between the table and the ORM's answers for today, as (product id, column,
    the table's, the ORM's); [] when the table is exact. The ORM's: the browsable products
    (Oscar's browsable()), catalog_ext.badges.with_badges, listing.web_price, listing.filters'
    sellable_here; the vector compared with the product's stored one."""
    from django.db.models import TextField
    from django.db.models.functions import Cast, Length
    from oscar.core.loading import get_model

    from catalog_ext import rules
    from catalog_ext.badges import with_badges

    from .filters import sellable_here
    from .ranking import StoredSearchVector
    from .web_price import listing_price

    Product = get_model("catalogue", "Product")
    on = on or rules.today()
    expected = {
        row["pk"]: row for row in with_badges(Product.objects.browsable().using(using).order_by(), on).annotate(
            title_length=Length("title"), web=listing_price(), now=sellable_here(),
            vector=Cast(StoredSearchVector(), TextField()),
        ).values("pk", "date_created", "title_length", "search_text", "web", "gi_id", "producer_id", "ocop_group",
                 "badge_stars", "badge_gi_ok", "now", "vector")
    }
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT r.product_id, r.date_created, r.title_length, r.search_text, r.web_price, r.gi_id, r.producer_id,"
            f" r.ocop_group, {STARS_TODAY}, {GI_OK_TODAY}, r.in_stock, r.search_vector::text FROM {TABLE} r",
            {"today": on})
        stored = {row[0]: row[1:] for row in cursor.fetchall()}
    differences = []
    for pk in sorted(set(expected) | set(stored)):
        if pk not in stored:
            differences.append((pk, "row", None, "browsable"))
            continue
        if pk not in expected:
            differences.append((pk, "row", "present", None))
            continue
        want = expected[pk]
        theirs = (want["date_created"], want["title_length"], want["search_text"], want["web"], want["gi_id"],
                  want["producer_id"], want["ocop_group"], want["badge_stars"], bool(want["badge_gi_ok"]),
                  want["now"], want["vector"])
        differences += [(pk, name, ours, their) for name, ours, their in zip(AUDITED, stored[pk], theirs, strict=True)
                        if ours != their]
    return differences + lexeme_differences(using)


def lexeme_differences(using: str = "default") -> list[tuple[None, str, str, None]]:
    """Every lexeme a vector of the table holds and listing_searchlexeme (migration listing 0005)
    does not, as (None, "lexeme …", "in a vector", None): a search whose last word stands for it
    would miss its rows. Lexemes the set holds and no vector does are not differences (asked
    exactly, they match nothing): stale_lexemes() counts them."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT u.lexeme FROM {TABLE} r CROSS JOIN LATERAL unnest(r.search_vector) AS u"
            " WHERE NOT EXISTS (SELECT FROM listing_searchlexeme l WHERE l.lexeme = u.lexeme) ORDER BY 1")
        return [(None, f"lexeme {lexeme!r}", "in a vector", None) for (lexeme,) in cursor.fetchall()]


def stale_lexemes(using: str = "default") -> int:
    """How many lexemes of listing_searchlexeme no vector of the table holds any more (the
    products that held them deleted or renamed): harmless, counted for information."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT l.lexeme FROM listing_searchlexeme l"
            f" EXCEPT SELECT u.lexeme FROM {TABLE} r CROSS JOIN LATERAL unnest(r.search_vector) AS u) AS stale")
        return cursor.fetchone()[0]


def rebuild(using: str = "default") -> None:
    """Write every product's row again and make the lexeme set exact again (what the migrations'
    fills do; manage.py search_rows_audit --fix)."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        # The search table locked against other writers until the commit (first, before this
        # transaction's own row locks): a writer's lexeme found in the set, so not added, and
        # deleted below before the writer's row is visible here, would be lost.
        cursor.execute(f"LOCK TABLE {TABLE} IN SHARE MODE")
        cursor.execute("DELETE FROM listing_searchrow WHERE product_id NOT IN (SELECT id FROM catalogue_product)")
        cursor.execute("SELECT ocop_search_rows(ARRAY(SELECT id FROM catalogue_product))")
        # The set made again from the vectors (the triggers keep a superset; this drops the stale).
        cursor.execute("DELETE FROM listing_searchlexeme")
        cursor.execute(f"INSERT INTO listing_searchlexeme (lexeme) SELECT DISTINCT u.lexeme FROM {TABLE} r"
                       " CROSS JOIN LATERAL unnest(r.search_vector) AS u")

"""What a search page lists, in which order, how many, and its facet counts: the same answers as
ranking all candidates in SQL (listing.ranking, listing.best_matches), from as few passes over the
matches as the filters allow (issue 21: a search no one made before, at 100,000 products).

A pass over the matches is the expensive part, so each query reads all a page needs of its
candidates at once: their sort keys, and the facet columns when the facet counts are not in the
cache. Order, count and facet combinations are then worked out over at most SEARCH_CAP rows:

- PostgreSQL: by the database, over the narrow search table (listing.search_rows: one row per
  browsable product, kept by triggers), in ONE query whatever the filters: the probe (relevance
  order: at most FULL_RANK_LIMIT matches? then the full-text rank counts), the candidates before
  the facet filters (their combinations) and the page's candidates all come from one scan of the
  matches; its SQL is written once per query shape, the words bound as parameters;
- elsewhere (SQLite): from the product table through the ORM (best_rows), in Python (_ordered,
  Filters.combos_from): no filter, one query (its rows also answer the probe's question);
  filters, the probe, the candidates, and, when facet filters are active and the facets are not
  cached, the candidates before those filters;
- nothing matched: the typo fallback's corrected words (PostgreSQL), as `ranking.matching` does.

On SQLite each candidate's values come from an outer query over the candidates' ids (the match
condition is not tested again) and the inner query joins only what the filters read
(Filters.prepare): no badge join for a search without a stars or GI filter.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.badges import with_badges

from . import best_matches as capped
from . import search_rows
from .filters import Filters
from .ranking import FULL_RANK_LIMIT, SearchQuery, corrected_query, match, terms
from .web_price import listing_price

Product = get_model("catalogue", "Product")
FACET_FIELDS = ("gi__slug", "gi__name", "ocop_group", "producer__code", "producer__name", "producer__ward_code")


@dataclass(frozen=True)
class SearchResults:
    ids: tuple[int, ...]  # every candidate, in the page's order
    best: capped.BestMatches
    combos: list[dict] | None  # facet combinations, when asked for


def search_results(query: SearchQuery, filters: Filters, *, facets: bool) -> SearchResults:
    """The candidates of `query` under `filters`, in `filters.sort` order; with `facets`, the
    facet combinations too (Filters.facet_combos' answer for this search)."""
    if not query:
        return _nothing(facets)
    scope = Product.objects.browsable()
    found = _match(scope, query)
    if not filters.narrows:
        return _unfiltered(scope, found, filters, facets)
    return _filtered(scope, found, filters, facets)


@dataclass(frozen=True)
class _InTable:
    """PostgreSQL's matches: the rows of the search table meeting the full-text query
    (listing.search_rows), as listing.ranking.Match is the product table's."""

    query: SearchQuery  # the words as scored
    tsquery: str  # the raw full-text query, a parameter of the SQL
    full_text = True

    def probe(self) -> int:
        return search_rows.probe(self.tsquery, FULL_RANK_LIMIT + 1)

    def corrected(self, vocabulary: tuple | None = None) -> SearchQuery | None:
        """The typo fallback's words; `vocabulary`: its first answer, when the search's statement
        read it (search_rows.read(vocabulary_of=...))."""
        return corrected_query(self.query, vocabulary)


def _match(scope, query: SearchQuery):
    """The matches of a non-empty query: the search table's on PostgreSQL (no queryset built),
    elsewhere listing.ranking.match over the product table."""
    if connection.vendor == "postgresql":
        return _InTable(*terms(query))
    return match(scope, query)


def _filtered(scope, found, filters: Filters, facets: bool, *, fallback: bool = True) -> SearchResults:
    """Filters: the probe only when its count matters (the relevance order: how many matches
    decides the full-text rank); otherwise only when nothing was found (the typo fallback asks
    whether the words match anything at all). With facet filters and the facets not cached, the
    candidates before those filters come first: when they are every match (fewer than the cap),
    the page's candidates are those of them that pass the facet filters (Filters.passes, the
    test apply() makes), and the second pass over the matches is not needed."""
    if isinstance(found, _InTable):
        return _filtered_table(scope, found, filters, facets, fallback=fallback)
    ranks = found.full_text and filters.sort == "relevance"
    matched = found.probe() if ranks else None
    if matched == 0 and fallback:
        return _corrected(scope, found, filters, facets)
    ranked = ranks and matched <= FULL_RANK_LIMIT
    base = filters.without_facets()
    combos = None
    if facets and base != filters:
        before = _read(base, found, filters.sort, facets=True, rank=ranked)
        combos = before.combos
        if before.best.more:
            read = _read(filters, found, filters.sort, facets=False, rank=ranked)
        else:
            ids = tuple(pk for pk in before.ids if filters.passes(before.facets_of[pk]))
            read = _Read(ids, capped.BestMatches(ids=ids, more=False, cap=before.best.cap, matched=len(ids)))
    else:
        read = _read(filters, found, filters.sort, facets=facets, rank=ranked)
        combos = read.combos
    if not read.ids and matched is None and fallback and found.full_text and not (combos or found.probe()):
        return _corrected(scope, found, filters, facets)
    return SearchResults(read.ids, read.best, combos)


def _filtered_table(scope, found: _InTable, filters: Filters, facets: bool, *, fallback: bool = True) -> SearchResults:
    """_filtered() on PostgreSQL, in one query: the probe (relevance order), the candidates before
    the facet filters (their facet combinations, when asked) and the page's candidates come from
    one scan of the matches (search_rows.read with `kept`), not one pass each."""
    ranks = filters.sort == "relevance"
    base = filters.without_facets()
    two_sets = facets and base != filters
    read = search_rows.read(
        tsquery=found.tsquery, scored=found.query, filters=search_rows.filter_values(base if two_sets else filters),
        kept=search_rows.filter_values(filters) if two_sets else None, order_by=ORDER_BY[filters.sort],
        facets=facets, cap=capped.SEARCH_CAP, limit=capped.SEARCH_CAP + 1, today=rules.today(),
        rank="if_probe" if ranks else "", rank_limit=FULL_RANK_LIMIT,
        probe_limit=FULL_RANK_LIMIT + 1 if ranks else None,
        # what the fallback below asks when nothing was read, in this statement (one round trip)
        probe_if_empty=FULL_RANK_LIMIT + 1 if fallback and not ranks else None,
        vocabulary_of=found.query if fallback else None)
    if read.probed == 0 and fallback:
        return _corrected(scope, found, filters, facets, read.vocabulary)
    cap = capped.SEARCH_CAP
    combos = list(read.combos or []) if facets else None
    if two_sets:
        ids, matched = read.kept_ids, read.kept_matched
    else:
        ids, matched = read.ids, read.matched
    if not ids and not ranks and fallback and not combos:
        if read.probed_if_empty is None and read.vocabulary is not None and found.corrected(read.vocabulary) is None:
            # The statement did not probe: no word to correct (search_rows.Read.probed_if_empty),
            # and the page is nothing whether the words match or not (_corrected's answer then).
            return _nothing(facets)
        if not _probed(read, found):
            return _corrected(scope, found, filters, facets, read.vocabulary)
    return SearchResults(ids, capped.BestMatches(ids=ids, more=matched > cap, cap=cap, matched=matched), combos)


def _probed(read: search_rows.Read, found: _InTable) -> int:
    """The words' matches (up to the probe's limit): as the statement counted them when it read
    nothing, else counted now."""
    return read.probed_if_empty if read.probed_if_empty is not None else found.probe()


def _corrected(scope, found, filters: Filters, facets: bool, vocabulary: tuple | None = None) -> SearchResults:
    """Nothing matched the words: the same search with the typo fallback's words, or nothing.
    `vocabulary`: the fallback's first answer, when the search's statement read it."""
    corrected = found.corrected(vocabulary) if vocabulary is not None else found.corrected()
    if corrected is None:
        return _nothing(facets)
    return _filtered(scope, _match(scope, corrected), filters, facets, fallback=False)


def _nothing(facets: bool) -> SearchResults:
    return SearchResults((), capped.BestMatches(ids=(), more=False, cap=capped.SEARCH_CAP), [] if facets else None)


def _unfiltered(scope, found, filters: Filters, facets: bool, *, fallback: bool = True) -> SearchResults:
    """No filter: one query, whose rows also say whether the full-text rank counts (what the
    probe would have said: it reads every match up to FULL_RANK_LIMIT + 1)."""
    ranks = found.full_text and filters.sort == "relevance"
    read = _read(filters, found, filters.sort, facets=facets, rank=ranks,
                 at_least=FULL_RANK_LIMIT if ranks else 0, rank_if_at_most=FULL_RANK_LIMIT,
                 vocabulary=fallback and found.full_text)
    if not read.ids and fallback and found.full_text:
        corrected = found.corrected(read.vocabulary) if read.vocabulary is not None else found.corrected()
        if corrected is not None:
            return _unfiltered(scope, _match(scope, corrected), filters, facets, fallback=False)
    return SearchResults(read.ids, read.best, read.combos)


@dataclass(frozen=True)
class _Read:
    """One pass over the matches: the candidates in the page's order, their count, and (with
    facets) their combinations and each candidate's facet columns."""

    ids: tuple[int, ...]
    best: capped.BestMatches
    combos: list[dict] | None = None
    facets_of: dict = field(default_factory=dict)  # candidate id -> a row holding its facet columns (SQLite)
    vocabulary: tuple | None = None  # the typo fallback's first answer, when read with the candidates


# The page's order (Filters.sort_queryset's) over the aliases best_rows() reads; each ends with a unique key.
ORDER_BY = {
    "newest": '"date_created" DESC, "pk" DESC',
    "relevance": '{relevance} DESC, "date_created" DESC, "pk" DESC',
    "stars": '"badge_stars" DESC NULLS LAST, "date_created" DESC, "pk" DESC',
    "price_asc": '"listing_price" ASC NULLS LAST, "pk" DESC',
    "price_desc": '"listing_price" DESC NULLS LAST, "pk" DESC',
}


def _read(filters: Filters, found, sort: str, *, facets: bool, rank: bool = False, cap=None, at_least=0,
          rank_if_at_most: int | None = None, vocabulary: bool = False) -> _Read:
    """The candidates of the matches that pass `filters` in `sort` order, with the full-text rank
    when `rank` (and, with `rank_if_at_most`, at most that many matches were read). PostgreSQL
    reads, orders and counts them itself from the search table (listing.search_rows: one row
    back); elsewhere their rows are read from the product table and worked out in Python
    (_ordered, Filters.combos_from), the same answers."""
    if isinstance(found, _InTable):
        return _read_table(filters, found, sort, facets=facets, rank=rank, cap=cap, at_least=at_least,
                           rank_if_at_most=rank_if_at_most, vocabulary=vocabulary)
    matches = filters.apply_to_matches(found.queryset)
    scores = found.score_columns(rank=rank) if sort == "relevance" else {}
    names = _names(sort, scores, facets=facets)
    outer = _outer(facets=facets, stars=sort == "stars", price=sort in ("price_asc", "price_desc"))
    if scores:
        outer = outer.annotate(**scores)
    best = capped.best_rows(matches, outer, names, cap=cap, at_least=at_least)
    ranked = rank and (rank_if_at_most is None or best.matched <= rank_if_at_most)
    return _Read(_ordered(best.rows, sort, ranked), best, Filters.combos_from(best.rows) if facets else None,
                 {row["pk"]: row for row in best.rows})


def _read_table(filters: Filters, found: _InTable, sort: str, *, facets: bool, rank: bool, cap, at_least,
                rank_if_at_most, vocabulary: bool = False) -> _Read:
    """_read() on PostgreSQL: one query over the search table, one row back (listing.search_rows);
    with `vocabulary`, the typo fallback's first answer too when nothing matched."""
    cap = capped.SEARCH_CAP if cap is None else cap
    mode = "" if not rank else "always" if rank_if_at_most is None else "if_few"
    read = search_rows.read(
        tsquery=found.tsquery, scored=found.query, filters=search_rows.filter_values(filters),
        order_by=ORDER_BY[sort], facets=facets, cap=cap, limit=max(cap, at_least) + 1, today=rules.today(),
        rank=mode, rank_limit=rank_if_at_most or 0, vocabulary_of=found.query if vocabulary else None)
    ids = read.ids
    combos = list(read.combos or []) if facets else None
    # no facets_of: only _filtered's SQLite path reads a candidate's facet columns
    return _Read(ids, capped.BestMatches(ids=ids, more=read.matched > cap, cap=cap, matched=read.matched),
                 combos, {}, read.vocabulary)


def _names(sort: str, scores: dict, *, facets: bool) -> dict:
    """What best_rows() reads of each candidate: its sort key (the relevance as its two parts,
    Match.score_columns, added up afterwards) and, with `facets`, its facet columns."""
    names = ["pk", "date_created", *scores]
    if sort in ("price_asc", "price_desc"):
        names.append("listing_price")
    if facets:
        names += [*FACET_FIELDS, "badge_stars", "badge_gi_ok", "facet_in_stock"]
    elif sort == "stars":
        names.append("badge_stars")
    return dict.fromkeys(names)


_outer_of_the_day: dict = {}


def _outer(*, facets: bool, stars: bool, price: bool):
    """The candidates' outer query with the annotations asked for, built once a day per process
    (as listing.products.browsable_products: building them is ORM work, about 1 ms each time)."""
    on = rules.today()
    key = (on, facets, stars, price)
    outer = _outer_of_the_day.get(key)
    if outer is None:
        outer = Product.objects.order_by()
        if facets:
            outer = Filters.facet_values(outer, on)
        elif stars:
            outer = with_badges(outer, on)
        if price:
            outer = outer.annotate(listing_price=listing_price())
        if any(k[0] != on for k in _outer_of_the_day):
            _outer_of_the_day.clear()
        _outer_of_the_day[key] = outer
    return outer.all()


def _ordered(rows, sort: str, ranked: bool = False) -> tuple[int, ...]:
    """The candidates' ids in Filters.sort_queryset's order (each order ends with a unique key).
    The relevance is the score plus, when `ranked`, the full-text rank: both read as double
    precision, so their sum here is the very sum PostgreSQL made of them (an integer plus a real
    is computed in double precision), and the order that of ordering by it in SQL."""
    if sort == "newest":
        key, reverse = (lambda r: (r["date_created"], r["pk"])), True
    elif sort == "relevance":
        if ranked:
            key = lambda r: (r["relevance_score"] + r["relevance_rank"], r["date_created"], r["pk"])  # noqa: E731
        else:
            key = lambda r: (r["relevance_score"], r["date_created"], r["pk"])  # noqa: E731
        reverse = True
    elif sort == "stars":  # stars descending, no badge last
        key, reverse = (lambda r: (r["badge_stars"] is not None, r["badge_stars"] or 0, r["date_created"], r["pk"])), True
    elif sort == "price_asc":  # no price last, then the newest id first
        key, reverse = (lambda r: (r["listing_price"] is None, r["listing_price"] or 0, -r["pk"])), False
    else:  # price_desc: no price last
        key, reverse = (lambda r: (r["listing_price"] is not None, r["listing_price"] or 0, r["pk"])), True
    return tuple(row["pk"] for row in sorted(rows, key=key, reverse=reverse))

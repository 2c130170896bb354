"""What a search page lists, in which order, how many, and its facet counts: the same answers as
ranking all candidates in SQL (listing.ranking, listing.best_matches), from as few passes over the
matches as the filters allow (issue 21: a search no one made before, at 100,000 products).

A pass over the matches is the expensive part (10–25 ms for a pair of common words), so each
query reads all a page needs of its candidates at once (best_rows): their sort keys, and the
facet columns when the facet counts are not in the cache. Order, count and facet combinations are
then worked out over at most SEARCH_CAP rows, exactly as ranking them in SQL did: by PostgreSQL in
the same query (best_matches.ranked_in_sql: one row comes back, not the candidates' rows), by
Python on SQLite (_ordered, Filters.combos_from):

- no filter (the sort alone): one query. Its rows are every match up to the cap, so they also
  answer the probe's question (at most FULL_RANK_LIMIT matches? then the full-text rank counts):
  both relevances are read and the probe's choice is made afterwards;
- filters: the probe (one query that stops at FULL_RANK_LIMIT + 1), the candidates, and, when
  facet filters are active and the facets are not cached, the candidates before those filters;
- nothing matched (PostgreSQL): the typo fallback's corrected words, as `ranking.matching` does.

Each candidate's values come from an outer query over the candidates' ids (the match condition is
not tested again) and the inner query joins only what the filters read (Filters.prepare): no badge
join for a search without a stars or GI filter.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.badges import with_badges

from . import best_matches as capped
from .filters import FACET_COLUMNS, Filters
from .ranking import FULL_RANK_LIMIT, Match, SearchQuery, match
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
    found = match(scope, query)
    if not filters.narrows:
        return _unfiltered(scope, found, filters, facets)
    return _filtered(scope, found, filters, facets)


def _filtered(scope, found: Match, filters: Filters, facets: bool, *, fallback: bool = True) -> SearchResults:
    """Filters: the probe only when its count matters (the relevance order: how many matches
    decides the full-text rank); otherwise only when nothing was found (the typo fallback asks
    whether the words match anything at all). With facet filters and the facets not cached, the
    candidates before those filters come first: when they are every match (fewer than the cap),
    the page's candidates are those of them that pass the facet filters (Filters.passes, the
    test apply() makes), and the second pass over the matches is not needed."""
    ranks = found.full_text and filters.sort == "relevance"
    matched = found.probe() if ranks else None
    if matched == 0 and fallback:
        return _corrected(scope, found, filters, facets)
    ranked = ranks and matched <= FULL_RANK_LIMIT
    base = filters.without_facets()
    combos = None
    if facets and base != filters:
        before = _read(base.apply_to_matches(found.queryset), found, filters.sort, facets=True, rank=ranked)
        combos = before.combos
        if before.best.more:
            read = _read(filters.apply_to_matches(found.queryset), found, filters.sort, facets=False, rank=ranked)
        else:
            ids = tuple(pk for pk in before.ids if filters.passes(before.facets_of[pk]))
            read = _Read(ids, capped.BestMatches(ids=ids, more=False, cap=before.best.cap, matched=len(ids)))
    else:
        read = _read(filters.apply_to_matches(found.queryset), found, filters.sort, facets=facets, rank=ranked)
        combos = read.combos
    if not read.ids and matched is None and fallback and found.full_text and not (combos or found.probe()):
        return _corrected(scope, found, filters, facets)
    return SearchResults(read.ids, read.best, combos)


def _corrected(scope, found: Match, filters: Filters, facets: bool) -> SearchResults:
    """Nothing matched the words: the same search with the typo fallback's words, or nothing."""
    corrected = found.corrected()
    if corrected is None:
        return _nothing(facets)
    return _filtered(scope, match(scope, corrected), filters, facets, fallback=False)


def _nothing(facets: bool) -> SearchResults:
    return SearchResults((), capped.BestMatches(ids=(), more=False, cap=capped.SEARCH_CAP), [] if facets else None)


def _unfiltered(scope, found: Match, filters: Filters, facets: bool, *, fallback: bool = True) -> SearchResults:
    """No filter: one query, whose rows also say whether the full-text rank counts (what the
    probe would have said: it reads every match up to FULL_RANK_LIMIT + 1)."""
    ranks = found.full_text and filters.sort == "relevance"
    read = _read(found.queryset, found, filters.sort, facets=facets, rank=ranks,
                 at_least=FULL_RANK_LIMIT if ranks else 0, rank_if_at_most=FULL_RANK_LIMIT)
    if not read.ids and fallback and found.full_text:
        corrected = found.corrected()
        if corrected is not None:
            return _unfiltered(scope, match(scope, corrected), filters, facets, fallback=False)
    return SearchResults(read.ids, read.best, read.combos)


@dataclass(frozen=True)
class _Read:
    """One pass over the matches: the candidates in the page's order, their count, and (with
    facets) their combinations and each candidate's facet columns."""

    ids: tuple[int, ...]
    best: capped.BestMatches
    combos: list[dict] | None = None
    facets_of: dict = field(default_factory=dict)  # candidate id -> a row holding its facet columns


# The page's order (Filters.sort_queryset's) over the aliases best_rows() reads; each ends with a unique key.
ORDER_BY = {
    "newest": '"date_created" DESC, "pk" DESC',
    "relevance": '{relevance} DESC, "date_created" DESC, "pk" DESC',
    "stars": '"badge_stars" DESC NULLS LAST, "date_created" DESC, "pk" DESC',
    "price_asc": '"listing_price" ASC NULLS LAST, "pk" DESC',
    "price_desc": '"listing_price" DESC NULLS LAST, "pk" DESC',
}


def _read(matches, found: Match, sort: str, *, facets: bool, rank: bool = False, cap=None, at_least=0,
          rank_if_at_most: int | None = None) -> _Read:
    """The candidates of `matches` in `sort` order, with the full-text rank when `rank` (and, with
    `rank_if_at_most`, at most that many matches were read). PostgreSQL orders and counts them
    itself (best_matches.ranked_in_sql: one row back); elsewhere their rows are read and worked
    out in Python (_ordered, Filters.combos_from), the same answers."""
    scores = found.score_columns(rank=rank) if sort == "relevance" else {}
    names = _names(sort, scores, facets=facets)
    outer = _outer(facets=facets, stars=sort == "stars", price=sort in ("price_asc", "price_desc"))
    if scores:
        outer = outer.annotate(**scores)
    if connection.vendor == "postgresql":
        ranked = capped.ranked_in_sql(matches, outer, names, order_by=ORDER_BY[sort], cap=cap, at_least=at_least,
                                      combo_columns=FACET_COLUMNS if facets else (), rank=rank,
                                      rank_if_at_most=rank_if_at_most)
        facets_of = {pk: ranked.combos[number] for pk, number in ranked.combo_of.items()}
        return _Read(ranked.ids, ranked.best, ranked.combos, facets_of)
    best = capped.best_rows(matches, outer, names, cap=cap, at_least=at_least)
    ranked = rank and (rank_if_at_most is None or best.matched <= rank_if_at_most)
    return _Read(_ordered(best.rows, sort, ranked), best, Filters.combos_from(best.rows) if facets else None,
                 {row["pk"]: row for row in best.rows})


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

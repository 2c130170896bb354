"""What a search page lists, in which order, how many, and its facet counts: the same answers as
ranking all candidates in SQL (listing.ranking, listing.best_matches), from as few passes over the
matches as the filters allow (issue 21: a search no one made before, at 100,000 products).

A pass over the matches is the expensive part (10–25 ms for a pair of common words), so each
query reads all a page needs of its candidates at once (best_rows): their sort keys, and the
facet columns when the facet counts are not in the cache. Order, count and facet combinations are
then worked out in Python over at most SEARCH_CAP rows, exactly as the SQL did:

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

from dataclasses import dataclass

from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.badges import with_badges

from . import best_matches as capped
from .filters import Filters
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
    the page's candidates are those of them that pass the facet filters (Filters._passes, the
    test apply() makes), and the second pass over the matches is not needed."""
    ranks = found.full_text and filters.sort == "relevance"
    matched = found.probe() if ranks else None
    if matched == 0 and fallback:
        return _corrected(scope, found, filters, facets)
    ranked = ranks and matched <= FULL_RANK_LIMIT
    base = filters.without_facets()
    combos = None
    if facets and base != filters:
        before = _best(base.apply_to_matches(found.queryset), found, filters.sort, facets=True, rank=ranked)
        combos = Filters.combos_from(before.rows)
        if before.more:
            best = _best(filters.apply_to_matches(found.queryset), found, filters.sort, facets=False, rank=ranked)
        else:
            rows = tuple(row for row in before.rows if filters.passes(row))
            best = capped.BestMatches(ids=tuple(row["pk"] for row in rows), more=False, cap=before.cap, rows=rows,
                                      matched=len(rows))
    else:
        best = _best(filters.apply_to_matches(found.queryset), found, filters.sort, facets=facets, rank=ranked)
        if facets:
            combos = Filters.combos_from(best.rows)
    if not best.ids and matched is None and fallback and found.full_text and not (combos or found.probe()):
        return _corrected(scope, found, filters, facets)
    return SearchResults(_ordered(best.rows, filters.sort, ranked), best, combos)


def _corrected(scope, found: Match, filters: Filters, facets: bool) -> SearchResults:
    """Nothing matched the words: the same search with the typo fallback's words, or nothing."""
    corrected = found.corrected()
    if corrected is None:
        return _nothing(facets)
    return _filtered(scope, match(scope, corrected), filters, facets, fallback=False)


def _nothing(facets: bool) -> SearchResults:
    return SearchResults((), capped.BestMatches(ids=(), more=False, cap=capped.SEARCH_CAP), [] if facets else None)


def _unfiltered(scope, found: Match, filters: Filters, facets: bool, *, fallback: bool = True) -> SearchResults:
    """No filter: one query, whose rows also say whether the full-text rank counts."""
    ranks = found.full_text and filters.sort == "relevance"
    best = _best(found.queryset, found, filters.sort, facets=facets, rank=ranks,
                 at_least=FULL_RANK_LIMIT if ranks else 0)
    if not best.ids and fallback and found.full_text:
        corrected = found.corrected()
        if corrected is not None:
            return _unfiltered(scope, match(scope, corrected), filters, facets, fallback=False)
    # What the probe would have said: the query read every match up to FULL_RANK_LIMIT + 1.
    ranked = ranks and best.matched <= FULL_RANK_LIMIT
    return SearchResults(_ordered(best.rows, filters.sort, ranked), best,
                         Filters.combos_from(best.rows) if facets else None)


def _best(matches, found: Match, sort: str, *, facets: bool, rank: bool = False, cap=None, at_least=0):
    """best_rows() reading each candidate's sort key and, with `facets`, its facet columns. The
    relevance is read as its two parts (Match.score_columns), added up in _ordered()."""
    names = ["pk", "date_created"]
    outer = _outer(facets=facets, stars=sort == "stars", price=sort in ("price_asc", "price_desc"))
    if sort == "relevance":
        columns = found.score_columns(rank=rank)
        outer = outer.annotate(**columns)
        names += columns
    elif sort in ("price_asc", "price_desc"):
        names.append("listing_price")
    if facets:
        names += [*FACET_FIELDS, "badge_stars", "badge_gi_ok", "facet_in_stock"]
    elif sort == "stars":
        names.append("badge_stars")
    return capped.best_rows(matches, outer, dict.fromkeys(names), cap=cap, at_least=at_least)


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

"""What a search page lists: the newest SEARCH_CAP matches at most, ranked among themselves.

At 100,000 products a common word matches tens of thousands ("arabica" 12,317, "ca" 21,559).
Counting them exactly, ranking every one and counting facets over all of them were each a pass
over every match (about 25 ms each, and the facets' badge and stock look-ups 300 ms more), for a
page that shows 24. So a search page takes, in one query, the newest SEARCH_CAP + 1 matches of its
filters (`-date_created, -pk`, the listing's own tie-break: read through the date index for
common words, through the full-text index for rare ones) with what it needs of each (best_rows),
and works within them (listing.search_results):

- the count is exact up to SEARCH_CAP, beyond it "more than 1,000 products";
- the chosen order (relevance, price, stars, newest) ranks these candidates; with SEARCH_CAP
  matches or fewer that is every match, so small searches are ranked exactly as before;
- pagination runs over the candidates: page 42 (of 24 products) is the last one;
- facet counts are taken over the newest SEARCH_CAP matches of the search before its facet
  filters, and the page says so when the cap was reached.

Filters apply before the cap (a producer's or a GI's products are found however old they are);
the cap only bounds how much of a very common search one page looks at.
"""
from __future__ import annotations

from dataclasses import dataclass

SEARCH_CAP = 1000
NEWEST_FIRST = ("-date_created", "-pk")


@dataclass(frozen=True)
class BestMatches:
    ids: tuple[int, ...]  # newest first, at most `cap`
    more: bool  # more than `cap` products matched
    cap: int
    rows: tuple[dict, ...] = ()  # each candidate's values, newest first
    matched: int = 0  # how many matches best_rows() read (up to cap + 1, or at_least + 1)

    @property
    def count(self) -> int:
        return len(self.ids)


def best_rows(matches, outer, names, *, cap: int | None = None, at_least: int = 0) -> BestMatches:
    """The newest `cap` (SEARCH_CAP) products of the queryset `matches`, whether there were more,
    and what the page needs of each, in one query: the newest cap + 1 matches are picked by an
    inner query reading only what the match and the filters need; the outer query (`outer`,
    products with annotations) reads `names` of those products alone, so its annotations
    (relevance, badges, stock) are computed for the candidates only. `names` must hold "pk" and
    "date_created" (the rows are put newest first here).

    `at_least`: read that many + 1 matches even when the cap is lower, so that `matched` counts
    the matches up to there (only a cap lowered below it, in tests, reads more than it keeps)."""
    cap = SEARCH_CAP if cap is None else cap
    newest = matches.order_by(*NEWEST_FIRST).prefetch_related(None).values("pk")[: max(cap, at_least) + 1]
    # No ORDER BY: the rows are put in order here (an ordered query would also make Django hash
    # every selected expression, the relevance's among them, to compile it).
    rows = list(outer.filter(pk__in=newest).order_by().values(*names))
    rows.sort(key=lambda row: (row["date_created"], row["pk"]), reverse=True)
    return BestMatches(ids=tuple(row["pk"] for row in rows[:cap]), more=len(rows) > cap, cap=cap,
                       rows=tuple(rows[:cap]), matched=len(rows))

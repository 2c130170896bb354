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

from django.db import connections

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



@dataclass(frozen=True)
class Ranked:
    """What ranked_in_sql() read: the candidates already in the page's order."""

    ids: tuple[int, ...]  # the newest `cap` matches, in the order asked for
    best: BestMatches  # their count and whether there were more (its `rows` empty: none read into Python)
    combos: list[dict] | None  # facet combinations of the candidates and their counts (with combo_columns)
    combo_of: dict[int, int]  # candidate id -> the index of its combination in `combos` (with combo_columns)
    ranked: bool  # whether the order added the full-text rank


def ranked_in_sql(matches, outer, names, *, order_by: str, cap: int | None = None, at_least: int = 0,
                  combo_columns: tuple[str, ...] = (), rank: bool = False,
                  rank_if_at_most: int | None = None) -> Ranked:
    """best_rows() with the candidates ordered and their facet combinations counted by PostgreSQL:
    one query answering with one row (how many matches it read, the candidates' ids in the page's
    order, each with the number of its combination, and the combinations with their counts),
    instead of every candidate's values read into Python to be sorted and counted there. Reading
    1,001 rows of a dozen columns cost about 7 ms of the web process's CPU (psycopg parsing them)
    and 5 ms more to make them dicts, for a page that shows 24 (issue 21: a search no one made
    before, at 100,000 products). best_rows' inner and outer queries are kept as they are.

    `order_by`: an ORDER BY over the aliases of `names`, ending with a unique key; "{relevance}"
    in it stands for "relevance_score", plus "relevance_rank" with `rank` (when
    `rank_if_at_most` is given: only if at most that many matches were read, the probe's
    question answered by the rows themselves). `combo_columns` (aliases among `names`): count
    the candidates per combination of their values, NULLs alike, as a GROUP BY does."""
    cap = SEARCH_CAP if cap is None else cap
    newest = matches.order_by(*NEWEST_FIRST).prefetch_related(None).values("pk")[: max(cap, at_least) + 1]
    sql, params = outer.filter(pk__in=newest).order_by().values(*names).query.get_compiler(matches.db).as_sql()
    relevance = '"relevance_score"'
    if rank and rank_if_at_most is None:
        relevance = '("relevance_score" + "relevance_rank")'
    elif rank:  # plus 0 (made float8): exactly the score, as when the rank does not count
        relevance = (f'("relevance_score" + CASE WHEN (SELECT count(*) FROM ocop_read) <= {int(rank_if_at_most)}'
                     ' THEN "relevance_rank" ELSE 0 END)')
    order_by = order_by.replace("{relevance}", relevance)
    columns = ", ".join(f'"{name}"' for name in combo_columns)
    # A combination's number: rows whose facet columns are equal (NULLs alike) are peers in this
    # order. Ordered by the columns as one record's text, byte by byte: ordering by the text
    # columns themselves compared them by the database's collation, about 10 ms for 1,001 rows.
    combo = f'dense_rank() OVER (ORDER BY ROW({columns})::text COLLATE "C")' if combo_columns else "0"
    counted = (f"(SELECT json_agg(c) FROM (SELECT ocop_combo, {columns}, count(*) AS n FROM ocop_newest"
               f" GROUP BY ocop_combo, {columns}) AS c)") if combo_columns else "NULL"
    wrapped = (
        f"WITH ocop_read AS ({sql}),"
        f" ocop_newest AS (SELECT * FROM (SELECT ocop_read.*, {combo} AS ocop_combo,"
        ' row_number() OVER (ORDER BY "date_created" DESC, "pk" DESC) AS ocop_nth FROM ocop_read) AS numbered'
        f" WHERE ocop_nth <= {int(cap)})"
        " SELECT (SELECT count(*) FROM ocop_read),"
        f" (SELECT string_agg(\"pk\"::text || ':' || ocop_combo::text, ',' ORDER BY {order_by}) FROM ocop_newest),"
        f" {counted}"
    )
    with connections[matches.db].cursor() as cursor:
        cursor.execute(wrapped, params)
        matched, listed, combinations = cursor.fetchone()
    pairs = [item.split(":") for item in listed.split(",")] if listed else []
    ids = tuple(int(pk) for pk, _ in pairs)
    combos, combo_of = None, {}
    if combo_columns:
        combos, position = [], {}
        for combination in combinations or []:  # json: psycopg gives Python lists and dicts
            position[combination.pop("ocop_combo")] = len(combos)
            combos.append(combination)
        combo_of = {int(pk): position[int(number)] for pk, number in pairs}
    return Ranked(ids=ids, best=BestMatches(ids=ids, more=matched > cap, cap=cap, matched=matched),
                  combos=combos, combo_of=combo_of,
                  ranked=rank and (rank_if_at_most is None or matched <= rank_if_at_most))

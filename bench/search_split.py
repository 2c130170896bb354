"""Where a new search without filters spends its time: wall, CPU, SQL and Redis of its parts.

    DEBUG=0 DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_speed_100k REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/search_split.py SEED COUNT

A basket holder (bench/new_searches.py's) asks COUNT searches without filters of seed SEED (use a
seed never used, far from the others: bench/new_searches.py asks seed N+1's words with filters),
each a page cache miss. Each part of the server's work is timed by wrapping the function that does
it (inclusive: a part holds the parts it calls; "cards" is inside "render blocks", itself inside
"render_to_response"); SQL is timed by an execute wrapper, Redis around redis-py's commands and
pipelines. Prints the medians for all searches, for those with results and for the empty ones.
A measuring tool only: it patches the code it measures, in this process.
"""
import functools
import importlib.util
import statistics
import sys
import time
from pathlib import Path

_spec = importlib.util.spec_from_file_location("new_searches", Path(__file__).resolve().parent / "new_searches.py")
ns = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ns)  # Django set up as bench/new_searches.py sets it

import redis.client  # noqa: E402
from django.db import connection  # noqa: E402

from listing import cards, page_cache, page_layout  # noqa: E402
from listing import filters as listing_filters  # noqa: E402
from shop.search import views  # noqa: E402

parts: dict[str, list[float]] = {}  # part → [wall, CPU, SQL, Redis] seconds of the current request
sql_seconds = [0.0]
redis_seconds = [0.0, 0]  # seconds, round trips


def timed_sql(execute, sql, params, many, context):
    began = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        sql_seconds[0] += time.perf_counter() - began


def timed(name, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        began, began_cpu, sql, redis = time.perf_counter(), time.thread_time(), sql_seconds[0], redis_seconds[0]
        try:
            return function(*args, **kwargs)
        finally:
            spent = parts.setdefault(name, [0.0, 0.0, 0.0, 0.0])
            spent[0] += time.perf_counter() - began
            spent[1] += time.thread_time() - began_cpu
            spent[2] += sql_seconds[0] - sql
            spent[3] += redis_seconds[0] - redis
    return wrapper


def timed_redis(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            redis_seconds[0] += time.perf_counter() - began
            redis_seconds[1] += 1
    return wrapper


CARDS = "cards (facts + cache + draw)"
redis.client.Redis.execute_command = timed_redis(redis.client.Redis.execute_command)
redis.client.Pipeline.execute = timed_redis(redis.client.Pipeline.execute)
page_layout._render_blocks = timed("render blocks (all)", page_layout._render_blocks)
page_layout._fill = timed("layout fill", page_layout._fill)
cards.render_cards = timed(CARDS, cards.render_cards)
cards.PageRows.facts = timed("cards: PageRows.facts", cards.PageRows.facts)
cards._draw = timed("cards: draw missing", cards._draw)
views.FacetedSearchView.get_queryset = timed("search SQL (get_queryset)", views.FacetedSearchView.get_queryset)
views.FacetedSearchView.paginate_queryset = timed("paginate", views.FacetedSearchView.paginate_queryset)
views.FacetedSearchView.get_context_data = timed("get_context_data", views.FacetedSearchView.get_context_data)
views.FacetedSearchView.render_to_response = timed("render_to_response", views.FacetedSearchView.render_to_response)
listing_filters.Filters.facets_from = timed("facets_from (Python)", listing_filters.Filters.facets_from)
page_cache.serve = timed("serve (whole)", page_cache.serve)
page_cache.page_key = timed("page key (version + MAX(id))", page_cache.page_key)
page_cache._cut_parts = timed("store: cut parts", page_cache._cut_parts)
page_cache._entry = timed("store: entry (marks)", page_cache._entry)
page_cache._unframe = timed("store: unframe", page_cache._unframe)


def main(seed: int, count: int) -> None:
    client = ns.basket_holder()
    paths = ns.new_searches(seed, filtered=False)
    client.get(paths(10**6))  # warm up templates and connections
    rows = []
    with connection.execute_wrapper(timed_sql):
        for n in range(count):
            parts.clear()
            sql_seconds[0] = 0.0
            redis_seconds[:] = [0.0, 0]
            began, began_cpu = time.perf_counter(), time.thread_time()
            client.get(paths(n))
            row = dict(parts)
            row["WHOLE"] = [time.perf_counter() - began, time.thread_time() - began_cpu, sql_seconds[0],
                            redis_seconds[0]]
            rows.append((row, redis_seconds[1]))
    names = sorted({name for row, _ in rows for name in row})
    for label, chosen in (("all", rows), ("with results", [r for r in rows if CARDS in r[0]]),
                          ("empty", [r for r in rows if CARDS not in r[0]])):
        print(f"== {label}: {len(chosen)} searches; median ms wall / CPU / SQL / Redis (0 where absent); mean wall")
        if not chosen:
            continue
        for name in names:
            spent = [row.get(name, [0.0] * 4) for row, _ in chosen]
            medians = [statistics.median(s[i] for s in spent) * 1000 for i in range(4)]
            mean = statistics.mean(s[0] for s in spent) * 1000
            print(f"  {name:34s} {medians[0]:6.1f} / {medians[1]:6.1f} / {medians[2]:6.1f} / {medians[3]:5.1f}"
                  f"   mean {mean:6.1f}")
        print("  Redis round trips, median", statistics.median(trips for _, trips in chosen))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))

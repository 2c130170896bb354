"""Server time of searches no one made before, in-process: a benchmark that prints figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_speed_100k REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/new_searches.py [--count 200] [--seed N] [--cold] [--rounds N]
        [--profile out.prof] [--explain [PATH ...]] [--slowest N]

The paths are bench/shoppers.py's own new searches (pairs of catalogue words; with filters
`stars=3&sort=price_asc&price_max=…`), fetched through Django's test client by a shopper with a
basket (session cookie), DEBUG off and the page cache on, as under gunicorn: each one is a page
cache miss (page and facet keys hold this process's start). Prints the median and p99 of the
whole response, of the server's CPU time ("Python CPU": this process's own work, whatever else
the machine runs) and of its SQL (wall time), the queries per search, and the 1-minute load
average.

--against-hits also asks each search again right after it (a cache hit, as the anonymous visitor's
cached page; an anonymous cookieless client's hit as well) and prints the new search's rate as a
share of the hits' (issue 21: a new search at ¼ or more of the anonymous cached rate), from the
medians of the whole response, taken in turns so that both meet the same load.

--cold empties the cache first (no card drawn yet); --rounds N keeps each search's least CPU and
SQL time over N cache misses, figures the machine's other work hardly moves (to compare two
versions of the code on a shared machine, run this file from the other version's checkout with
PYTHONPATH set to it); --profile writes a CPU profile of the timed requests; --explain prints
EXPLAIN ANALYZE of every query of the given pages (default: one new search of each kind);
--slowest N the slowest queries and pages seen.
"""
import argparse
import gc
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.shops import in_process_settings  # noqa: E402  (after the path is set, as a script)

in_process_settings(RATELIMIT_SEARCH="10000000/m")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from bench.shoppers import new_searches, percentile  # noqa: E402


def basket_holder() -> Client:
    """A client with a session and one product in its basket, as bench/shoppers.py's Visitor."""
    client = Client()
    StockRecord = get_model("partner", "StockRecord")
    record = StockRecord.objects.filter(num_in_stock__gt=5, product__is_public=True,
                                        product__parent=None).order_by("pk").first()
    response = client.post(f"/basket/add/{record.product_id}/", {"quantity": 1})
    assert response.status_code in (200, 302), response.status_code
    client.get("/basket/")
    return client


SLOWEST: list = []  # (seconds, path, sql) of the slowest queries seen
SLOWEST_PAGES: list = []  # (ms, CPU ms, SQL ms, queries, path) of the slowest pages seen


def run(client, paths, start, count, profile=None):
    took, sql, queries, cpu = [], [], [], []
    for n in range(start, start + count):
        with CaptureQueriesContext(connection) as captured:
            began, began_cpu = time.perf_counter(), time.thread_time()
            if profile is not None:
                profile.enable()
            response = client.get(paths(n))
            if profile is not None:
                profile.disable()
            took.append((time.perf_counter() - began) * 1000)
            cpu.append((time.thread_time() - began_cpu) * 1000)
        assert response.status_code == 200, (paths(n), response.status_code)
        sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        queries.append(len(captured.captured_queries))
        SLOWEST.extend((float(q["time"]), paths(n), q["sql"]) for q in captured.captured_queries)
        SLOWEST[:] = sorted(SLOWEST, key=lambda s: s[0], reverse=True)[:10]
        SLOWEST_PAGES.append((took[-1], cpu[-1], sql[-1], queries[-1], paths(n)))
    return took, sql, queries, cpu


def against_hits(client, label, paths, count):
    """Each new search, then the same path again for an anonymous visitor without cookies (a
    hit), in turns: medians and the ratio of rates."""
    anonymous = Client()
    fresh, hits = [], []
    for n in range(count):
        path = paths(n)
        began = time.perf_counter()
        assert client.get(path).status_code == 200, path
        fresh.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        assert anonymous.get(path).status_code == 200, path
        hits.append((time.perf_counter() - began) * 1000)
    new, hit = statistics.median(fresh), statistics.median(hits)
    print(f"new searches, {label}, against the anonymous visitor's hit of the same page: new p50 {new:.1f} ms,"
          f" hit p50 {hit:.1f} ms, new search rate = {hit / new:.2f}× the cached rate (goal ≥ 0.25);"
          f" over {count}, load average {os.getloadavg()[0]:.1f}")


def least(client, label, paths, rounds):
    """Each path `rounds` times, each a cache miss; the least CPU and SQL time of each path."""
    from catalog_ext.cache import catalogue_changed

    best = {path: (float("inf"), float("inf")) for path in paths}
    for _ in range(rounds):
        for path in paths:
            catalogue_changed()  # a new catalogue version: the page and its facet counts are not cached
            with CaptureQueriesContext(connection) as captured:
                began_cpu = time.thread_time()
                assert client.get(path).status_code == 200, path
                cpu = (time.thread_time() - began_cpu) * 1000
            sql = sum(float(q["time"]) for q in captured.captured_queries) * 1000
            best[path] = (min(best[path][0], cpu), min(best[path][1], sql))
    cpus, sqls = sorted(v[0] for v in best.values()), sorted(v[1] for v in best.values())
    print(f"new searches, {label}, least of {rounds} each: Python CPU median {statistics.median(cpus):.1f} ms,"
          f" p90 {percentile(cpus, 90):.1f}, max {cpus[-1]:.1f}, sum {sum(cpus):.0f} ms; SQL median"
          f" {statistics.median(sqls):.1f} ms, p90 {percentile(sqls, 90):.1f}, max {sqls[-1]:.1f};"
          f" over {len(paths)}, load average {os.getloadavg()[0]:.1f}")


def explain(client, path):
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    print(f"EXPLAIN ANALYZE of the {len(captured.captured_queries)} queries of {path}")
    with connection.cursor() as cursor:
        for q in captured.captured_queries:
            sql = q["sql"]
            upper = sql.lstrip().upper()
            # The search's own query starts with WITH; a statement that writes is never run again.
            if not upper.startswith(("SELECT", "WITH")) or re.search(r"\b(INSERT|UPDATE|DELETE)\b", upper):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
            print(f"\n--- {q['time']} s: {sql[:300]}")
            print("\n".join(plan[:60] + (["…", *plan[-2:]] if len(plan) > 60 else [])))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--profile")
    parser.add_argument("--explain", nargs="*", metavar="PATH",
                        help="EXPLAIN ANALYZE every query of these paths (default: one new search of each kind)")
    parser.add_argument("--slowest", type=int, default=0, help="Print the N slowest queries")
    parser.add_argument("--rounds", type=int, default=0,
                        help="Each of --count searches this many times, each time a page and facet cache miss (a new"
                             " catalogue version), keeping its least CPU and SQL time: figures the machine's other"
                             " work hardly moves, to compare two versions of the code")
    parser.add_argument("--against-hits", action="store_true",
                        help="Each new search then an anonymous visitor's hit of it, in turns: the ratio of rates")
    parser.add_argument("--cold", action="store_true", help="Empty the cache first (no card rendered yet)")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 10000,
                        help="Word pairs' order (a new seed: searches not cached by an earlier run)")
    args = parser.parse_args()
    connection.force_debug_cursor = True  # record SQL times with DEBUG off
    if args.cold:
        from django.core.cache import cache

        cache.clear()
    client = basket_holder()
    if args.explain is not None:
        for path in args.explain or [new_searches(args.seed, filtered=False)(0),
                                     new_searches(args.seed + 1, filtered=True)(0)]:
            explain(client, path)
        return
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile(timer=time.thread_time)  # CPU: what the server itself spends
    client.get(new_searches(args.seed, filtered=False)(10**6))  # warm up templates and connections
    gc.collect()
    gc.freeze()  # as a gunicorn worker does after its first requests (gunicorn.conf.py)
    for label, filtered in (("no filters", False), ("with filters", True)):
        paths = new_searches(args.seed + filtered, filtered=filtered)
        if args.rounds:
            least(client, label, [paths(n) for n in range(args.count)], args.rounds)
            continue
        if args.against_hits:
            against_hits(client, label, paths, args.count)
            continue
        took, sql, queries, cpu = run(client, paths, 0, args.count, profile)
        print(f"new searches, {label}: page p50 {statistics.median(took):.1f} ms, p99 {percentile(took, 99):.1f} ms;"
              f" Python CPU p50 {statistics.median(cpu):.1f} ms, p99 {percentile(cpu, 99):.1f} ms;"
              f" SQL p50 {statistics.median(sql):.1f} ms, p99 {percentile(sql, 99):.1f} ms;"
              f" queries {min(queries)}–{max(queries)}; over {len(took)}, load average {os.getloadavg()[0]:.1f}")
    if profile is not None:
        profile.dump_stats(args.profile)
    for seconds, path, sql in SLOWEST[: args.slowest]:
        print(f"{seconds * 1000:.0f} ms {path}: {sql[:600]}")
    for ms, cpu_ms, sql_ms, count, path in sorted(SLOWEST_PAGES, reverse=True)[: args.slowest]:
        print(f"page {ms:.0f} ms (CPU {cpu_ms:.0f} ms, SQL {sql_ms:.0f} ms, {count} queries) {path}")


if __name__ == "__main__":
    main()

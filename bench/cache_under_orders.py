"""Cache hits while orders are placed (issue 21: an order must not empty the page cache).

One process places orders at a steady rate (`--rate` per second, one unit each, through our
OrderCreator.place_order as the checkout's last step does, for a few products that stay in stock);
this process meanwhile fetches catalogue pages as cookieless anonymous visitors, in turns: listing
pages (the catalogue, page 2, a filtered and sorted view, the in-stock filter) and product pages
(those of the first listing page, among them the products being ordered). A request is a cache hit
when it ran no query on the product table (a hit asks the database only the catalogue's state).
It prints, per kind of page, the share of requests served from the cache, the median server time,
how many orders were placed and how often the catalogue version moved, with the load average.

In-process (Django's test client) and on the database it is given, which it writes orders into:
use your own copy of the 100k database and your own Redis database (the cache is cleared first).

    createdb -h 127.0.0.1 -U postgres -T ocop_speed_100k ocop_speed_100k_mine
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_speed_100k_mine REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/cache_under_orders.py [--rate 10] [--seconds 30] [--ordered 4]

`--rate 0` measures the same pages with no order placed (the ceiling).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
from bench.shops import in_process_settings  # noqa: E402  (after the path is set, as a script)

in_process_settings()

PRODUCT_LINK = re.compile(r'href="(/catalogue/[^"/]+_(\d+)/)"')
LISTINGS = ("/catalogue/", "/catalogue/?page=2", "/catalogue/?stars=3&sort=price_asc", "/catalogue/?in_stock=1")


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def buyer(product_ids: list[int], rate: float, seconds: float) -> None:
    """Place one-unit orders for `product_ids` in turn, `rate` a second, for `seconds`; print JSON."""
    import django

    django.setup()
    from oscar.core.loading import get_model

    from bench.orders import order_steps

    Product = get_model("catalogue", "Product")
    products = Product.objects.in_bulk(product_ids)
    one_order = order_steps()  # the orders bench's buyer: a fresh basket, one unit, place_order

    print("ready", flush=True)
    sys.stdin.readline()  # go
    began, placed, errors = time.monotonic(), 0, []
    while time.monotonic() - began < seconds:
        due = began + placed / rate
        time.sleep(max(0.0, due - time.monotonic()))
        try:
            one_order(products[product_ids[placed % len(product_ids)]])
        except Exception as exc:  # reported, never raised: a bench prints what happened
            errors.append(f"{type(exc).__name__}: {exc}")
        placed += 1
    print(json.dumps({"placed": placed - len(errors), "errors": errors[:3], "wall": time.monotonic() - began}),
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=10.0, help="orders per second (0: none)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--ordered", type=int, default=4, help="how many products the orders are for")
    parser.add_argument("--buyer", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.buyer:
        buyer([int(pk) for pk in args.buyer.split(",")], args.rate, args.seconds)
        return

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from oscar.core.loading import get_model

    from catalog_ext.cache import VERSION_KEY
    from shop import view_counts

    view_counts.FLUSH_SECONDS = view_counts.FLUSH_VIEWS = 10**9  # no analytics write inside a measured hit
    StockRecord = get_model("partner", "StockRecord")
    cache.clear()  # this bench's own Redis database
    first = Client().get(LISTINGS[0]).content.decode()
    shown = list(dict.fromkeys((url, int(pk)) for url, pk in PRODUCT_LINK.findall(first)))
    needed = int(args.rate * args.seconds / max(args.ordered, 1)) + 5
    free = {pk: (n or 0) - (a or 0) for pk, n, a in StockRecord.objects.filter(
        product_id__in=[pk for _u, pk in shown]).values_list("product_id", "num_in_stock", "num_allocated")}
    ordered = [pk for _url, pk in shown if free.get(pk, 0) > needed][:args.ordered]
    if args.rate and len(ordered) < args.ordered:
        sys.exit(f"only {len(ordered)} products of the first page have {needed} units free")
    pages = [("listing", url) for url in LISTINGS] + [("product", url) for url, _pk in shown]

    def fetch(url) -> tuple[bool, float]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = Client().get(url)
            took = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        return not any("catalogue_product" in q["sql"] for q in queries.captured_queries), took

    for _kind, url in pages * 2:  # stored, then a hit
        fetch(url)
    child = None
    if args.rate:
        child = subprocess.Popen([sys.executable, __file__, "--buyer", ",".join(map(str, ordered)),
                                  "--rate", str(args.rate), "--seconds", str(args.seconds)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
        assert child.stdout.readline().strip() == "ready"
    load_before, version_before = _load(), cache.get(VERSION_KEY)
    results: dict[str, list[tuple[bool, float]]] = {"listing": [], "product": [], "ordered product": []}
    ordered_urls = {url for url, pk in shown if pk in ordered}
    if child is not None:
        child.stdin.write("go\n")
        child.stdin.flush()
    began = time.monotonic()
    turn = 0
    while time.monotonic() - began < args.seconds:
        kind, url = pages[turn % len(pages)]
        turn += 1
        results["ordered product" if url in ordered_urls else kind].append(fetch(url))
    outcome = json.loads(child.stdout.readline()) if child is not None else {"placed": 0, "errors": [], "wall": 0}
    if child is not None:
        child.wait()
    version_after = cache.get(VERSION_KEY)
    print(f"{get_model('catalogue', 'Product').objects.count()} products; orders: {outcome['placed']} placed "
          f"in {outcome['wall']:.1f} s ({args.rate:g}/s asked) for {len(ordered)} products of the first page"
          f"{'; errors: ' + '; '.join(outcome['errors']) if outcome['errors'] else ''}")
    print(f"catalogue version moved {version_after - version_before if version_before and version_after else '?'}"
          f" times; load average {load_before} → {_load()}")
    print(f"{'pages':<16} | requests | from cache | median ms")
    for kind, rows in results.items():
        if rows:
            hits = sum(1 for hit, _took in rows if hit)
            print(f"{kind:<16} | {len(rows):>8} | {100 * hits / len(rows):>9.1f}% | "
                  f"{1000 * statistics.median(took for _hit, took in rows):>9.1f}")


if __name__ == "__main__":
    main()

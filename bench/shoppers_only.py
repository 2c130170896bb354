"""The shoppers' table of `make bench` alone (bench/shoppers.py): our gunicorn (2 workers) on an
already seeded database, the basket holder's and the customer's rates against the anonymous cached
rate, and new searches' p50/p99: about a minute instead of `make bench`'s five, to compare two
versions of the code back to back on the same database (run it from each checkout in turn).

    BENCH_EXISTING_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_speed_100k \
    BENCH_REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/python bench/shoppers_only.py [--seconds 5] [--searches-only]

A measuring tool: the figures that decide issue 21's goals are `make bench`'s, on a quiet machine.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import report, shoppers, shops  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5")))
    parser.add_argument("--searches-only", action="store_true",
                        help="Only the two new-search rows (and their cached hits), not the listing and product page")
    args = parser.parse_args()
    database = os.environ.get("BENCH_EXISTING_DATABASE_URL", "")
    if not database.startswith("postgres"):
        print("BENCH_EXISTING_DATABASE_URL must name a seeded PostgreSQL database", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ocop-shoppers-") as tmp:
        env = shops.ours_env(Path(tmp), database, redis_url=os.environ.get("BENCH_REDIS_URL", ""))
        log = Path(tmp) / "ours.log"
        shops.manage(PROJECT, env, "migrate", "--noinput", log=log)
        server = shops.Server("ours", PROJECT, env, "shop.wsgi", "/healthz", log).start()
        try:
            status, _, body = shops.fetch(server.base + "/catalogue/")
            product = report.first_product_link(body) if status == 200 else None
            if args.searches_only:
                shoppers.ONLY_SEARCHES = True
            problem = shoppers.measure(server.base, product, args.seconds, print)
        finally:
            server.stop()
    print(f"load average {os.getloadavg()[0]:.1f}")
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`: our storefront against plain django-oscar, same machine, same run, same N.

    BENCH_PRODUCTS=1000 BENCH_SECONDS=5 make bench       # or: python bench/run.py --products 1000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench make bench
    # 100,000 products on PostgreSQL, served from a database seeded once, Redis as the cache:
    BENCH_EXISTING_DATABASE_URL=postgres://…/ocop_100k BENCH_REDIS_URL=redis://127.0.0.1:6379/9 BENCH_PLAIN=0 make bench

Everything lives in one temp dir (databases, media, index, logs) and both gunicorns are stopped
and the dir removed on any exit. Prints one table; exits 0 unless something could not run.
"""
from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import load, notify_latency, orders, report, shoppers, shops, signed_in  # noqa: E402  (after the path is set, as a script)
from bench import pos as pos_bench  # noqa: E402  (the showroom counter, issue 7)

PLAIN = (PROJECT / ".." / "shared" / "bench" / "plain_oscar").resolve()

# (label, our path, plain Oscar's path); the product page is found on each shop's /catalogue/.
PAGES = [
    # Ours: /livez answers through the whole middleware stack and asks no service, as plain's /hello/;
    # /healthz (readiness: one database round trip and one Redis PING) has its own row.
    ("hello-world ceiling", "/livez", "/hello/"),
    ("/healthz (readiness)", "/healthz", None),
    ("home /", "/", "/"),
    ("/catalogue/", "/catalogue/", "/catalogue/"),
    ("product page", None, None),
    ("/search/?q=arabica", "/search/?q=arabica", "/search/?q=arabica"),
    ("/search/?q=ca+phe", "/search/?q=ca+phe", "/search/?q=ca+phe"),
]


def say(line: str = "") -> None:
    print(line, flush=True)


def options(argv):
    parser = argparse.ArgumentParser(description="Benchmark our pages against plain django-oscar.")
    parser.add_argument("--products", type=int, default=int(os.environ.get("BENCH_PRODUCTS", "1000")))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5")))
    args = parser.parse_args(argv)
    if args.products < 1 or args.seconds <= 0:
        parser.error("--products and --seconds must be positive")
    return args


class Bench:
    def __init__(self, products: int, seconds: float):
        self.products, self.seconds = products, seconds
        self.keep = os.environ.get("BENCH_KEEP") == "1"
        self.tmp = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
        self.pg_url = os.environ.get("BENCH_DATABASE_URL", "")
        self.servers: list[shops.Server] = []
        self.problems: list[str] = []
        self.product_pages: tuple[str | None, str | None] = (None, None)
        self.cleaned = False
        self.pg_created = False

    # ------------------------------------------------------------------ lifecycle
    def cleanup(self) -> None:
        """Idempotent: called from finally and again from atexit."""
        if self.cleaned:
            return
        self.cleaned = True
        for server in self.servers:
            server.stop()
        self.servers = []
        if self.pg_created and not self.keep:
            try:
                shops.drop_postgres(self.pg_url)
            except Exception as exc:  # e.g. the server went away meanwhile: say so, clean the rest
                say(f"note: could not drop the bench database: {exc}")
            self.pg_created = False
        if self.keep:
            say(f"BENCH_KEEP=1: kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ preparation
    def prepare_ours(self) -> shops.Server:
        existing = os.environ.get("BENCH_EXISTING_DATABASE_URL", "")
        if existing:  # an already seeded database (100,000 products take minutes to seed): served as it is
            env = shops.ours_env(self.tmp, existing, redis_url=os.environ.get("BENCH_REDIS_URL", ""))
            log = self.tmp / "ours.log"
            shops.manage(PROJECT, env, "migrate", "--noinput", log=log)
            count = shops.product_count(existing)
            self.products = count
            say(f"ours:  existing database {existing.rsplit('/', 1)[-1]}, {count} products")
            self.ours_env = env
            return shops.Server("ours", PROJECT, env, "shop.wsgi", "/healthz", log)
        if self.pg_url:
            shops.recreate_postgres(self.pg_url)
            self.pg_created = True
            url = self.pg_url
        else:
            url = f"sqlite:///{self.tmp / 'ours.sqlite3'}"
        env = shops.ours_env(self.tmp, url, redis_url=os.environ.get("BENCH_REDIS_URL", ""))
        log = self.tmp / "ours.log"
        t_migrate = shops.manage(PROJECT, env, "migrate", "--noinput", log=log)
        t_demo = shops.manage(PROJECT, env, "load_demo", "--quiet-accounts", log=log)
        t_seed = shops.manage(PROJECT, env, "seed_catalogue", "--products", str(self.products), log=log)
        say(f"ours:  migrate {t_migrate:.1f} s, load_demo {t_demo:.1f} s, seed_catalogue {t_seed:.1f} s")
        self.ours_env = env
        return shops.Server("ours", PROJECT, env, "shop.wsgi", "/healthz", log)

    def prepare_plain(self) -> shops.Server:
        env = shops.plain_env(self.tmp)
        log = self.tmp / "plain.log"
        t_migrate = shops.manage(PLAIN, env, "migrate", "--noinput", log=log)
        t_seed = shops.manage(PLAIN, env, "seed", "--products", str(self.products), log=log)
        t_index = shops.manage(PLAIN, env, "rebuild_index", "--noinput", log=log)
        say(f"plain: migrate {t_migrate:.1f} s, seed {t_seed:.1f} s, rebuild_index {t_index:.1f} s")
        return shops.Server("plain Oscar", PLAIN, env, "baseline.wsgi", "/hello/", log)

    # ------------------------------------------------------------------ measuring
    def probe(self, server: shops.Server, path: str, row: report.Row, who: str) -> str | None:
        """GET once (following redirects): the path to load-test, or None when it is no page."""
        status, final, body = shops.fetch(server.base + path)
        if status != 200:
            row.notes.append(f"{who}: HTTP {status}")
            return None
        if final != path:
            row.notes.append(f"{who}: {path} → {final}")
        if path.startswith("/search/"):
            row.notes.append(f"{who} found {report.found_count(body)}")
        for _ in range(3):  # warm both workers: template loading, first queries
            shops.fetch(server.base + final)
        return final

    def measure(self, server: shops.Server, path: str | None, row: report.Row, who: str) -> float | None:
        if path is None:
            return None
        result = load.measure(server.base + path, self.seconds)
        if result.errors:
            row.notes.append(f"{who}: {result.errors} failed requests, not counted")
        return result.rps

    def product_path(self, server: shops.Server, row: report.Row, who: str) -> str | None:
        status, _, body = shops.fetch(server.base + "/catalogue/")
        link = report.first_product_link(body) if status == 200 else None
        if link is None:
            row.notes.append(f"{who}: no product link on /catalogue/")
        return link

    def count_queries(self, paths: list[str]) -> dict[str, int | None]:
        done = subprocess.run(
            [shops.PY, str(PROJECT / "bench" / "queries.py"), *paths],
            cwd=PROJECT, env=self.ours_env, capture_output=True, text=True, timeout=600,
        )
        if done.returncode:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            self.problems.append(f"query count failed: {tail}")
            return {}
        return json.loads(done.stdout.strip().splitlines()[-1])

    # ------------------------------------------------------------------ the run
    def run(self) -> int:
        say(f"OCOP Market bench: {self.products} products, {self.seconds:g} s per page, load: {load.tool_name()}")
        try:
            ours = self.prepare_ours()
            self.servers.append(ours)  # before start(): a server that never got ready is still stopped
            ours.start()
        except shops.StepFailed as exc:
            say(f"bench: could not run our shop: {exc}")
            return 1
        plain = None
        if os.environ.get("BENCH_PLAIN", "1") == "0":
            say("BENCH_PLAIN=0: plain Oscar left out")
        elif not (PLAIN / "manage.py").exists():
            say(f"plain Oscar not found at {PLAIN}: benching our shop only")
        else:
            try:
                plain = self.prepare_plain()
                self.servers.append(plain)
                plain.start()
            except shops.StepFailed as exc:
                self.problems.append(f"plain Oscar could not run: {exc}")
                say(f"plain Oscar could not run ({exc}): benching our shop only")
                plain = None

        rows, our_paths = [], []
        for label, ours_path, plain_path in PAGES:
            row = report.Row(label)
            rows.append(row)
            if ours_path is None:  # the product page: each shop's first product card
                ours_path = self.product_path(ours, row, "ours")
                plain_path = self.product_path(plain, row, "plain") if plain else None
                self.product_pages = (ours_path, plain_path)
            ours_final = self.probe(ours, ours_path, row, "ours") if ours_path else None
            plain_final = self.probe(plain, plain_path, row, "plain") if plain and plain_path else None
            say(f"… {label}")
            row.ours = self.measure(ours, ours_final, row, "ours")
            row.plain = self.measure(plain, plain_final, row, "plain") if plain else None
            our_paths.append(ours_final)

        counts = self.count_queries([p for p in our_paths if p])
        for row, path in zip(rows, our_paths, strict=True):
            row.queries = counts.get(path) if path else None

        existing = os.environ.get("BENCH_EXISTING_DATABASE_URL", "")
        database = ("PostgreSQL (ours; plain Oscar: SQLite)" if (self.pg_url or existing.startswith("postgres"))
                    else "SQLite")
        database += ", cache: Redis" if os.environ.get("BENCH_REDIS_URL") else ", cache: local memory"
        say()
        say(report.format_table(rows))
        say()
        ours_page, plain_page = self.product_pages
        say(f"product page: ours {ours_page or '—'}, plain {plain_page or '—'}")
        say(f"N={self.products} products per shop, database: {database}, load: {load.tool_name()}, "
            f"{self.seconds:g} s per page, gunicorn -w 2 on 127.0.0.1, load average {os.getloadavg()[0]:.1f} "
            f"(2 cores here: above 2, something else is running)")
        # Shoppers with a session cookie against the anonymous cached rate; new searches' p99.
        say()
        problem = shoppers.measure(ours.base, ours_page, self.seconds, say)
        if problem:
            self.problems.append(problem)
        # Orders placed per second with 8 concurrent buyers (PostgreSQL only; bench/orders.py says why not).
        say()
        problem = orders.measure(seconds=self.seconds, tmp=self.tmp, say=say)
        if problem:
            self.problems.append(problem)
        say()  # the showroom counter: add-to-cart by barcode and complete-sale p95 (bench/pos.py)
        problem = pos_bench.measure(seconds=self.seconds, tmp=self.tmp, say=say)
        if problem:
            self.problems.append(problem)
        say()  # signed-in pages on our shop's database: server time p50/p95 and queries (bench/signed_in.py)
        problem = signed_in.measure(env=self.ours_env, seconds=self.seconds, say=say)
        if problem:
            self.problems.append(problem)
        # Producer notification latency, order commit → delivered (PostgreSQL + Redis + a worker).
        say()
        problem = notify_latency.measure(tmp=self.tmp, say=say)
        if problem:
            self.problems.append(problem)
        for problem in self.problems:
            say(f"bench: {problem}")
        return 1 if self.problems else 0


def _terminated(*_):
    say("bench: stopped by SIGTERM")
    sys.exit(143)


def main(argv=None) -> int:
    args = options(argv)
    bench = Bench(args.products, args.seconds)
    atexit.register(bench.cleanup)
    # SIGTERM (e.g. a CI timeout) must still stop the gunicorns and remove the temp dir.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        return bench.run()
    except KeyboardInterrupt:
        say("bench: interrupted")
        return 130
    except Exception as exc:  # anything unforeseen still ends in one line and a clean machine
        say(f"bench: could not run: {exc!r}")
        return 1
    finally:
        bench.cleanup()


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"(bench took {time.monotonic() - started:.0f} s)")
    sys.exit(code)

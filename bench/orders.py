"""`make bench`, orders: COD orders placed per second on PostgreSQL by 8 concurrent buyers.

Service level, not HTTP: each buyer is a thread with its own database connection that builds a fresh
basket and calls our OrderCreator.place_order (the checkout's last step: stock locked in pk order,
re-checked and allocated, order rows written, in one transaction), as fast as it can for the
given seconds. Two runs: "contested" (all 8 buy the same product, so they queue on its row lock)
and "uncontested" (each buys its own product). Reports orders/s (whole buyer loop, wall clock) and
the p50/p95 of the place_order call alone.

Only on PostgreSQL (SQLite has one writer at a time: nothing to learn about row locks): the server of
BENCH_DATABASE_URL, else 127.0.0.1:5432; a database named ocop_bench_orders (or the one BENCH_DATABASE_URL
names, when its name starts with ocop_bench_orders) is created, migrated and dropped at the end. Without PostgreSQL it prints one line saying so. It never fails on a number.

    python bench/orders.py --seconds 5          # on its own
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench import shops  # noqa: E402

BUYERS = 8
DB_NAME = "ocop_bench_orders"
SCENARIOS = ("contested", "uncontested")


def database_url() -> tuple[str | None, str]:
    """(URL of the orders bench database, "") or (None, why it is skipped)."""
    given = os.environ.get("BENCH_DATABASE_URL", "")
    base = given or "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        return None, f"BENCH_DATABASE_URL is not PostgreSQL ({parts.scheme or 'no scheme'})"
    host, port = parts.hostname or "127.0.0.1", parts.port or 5432
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as exc:
        return None, f"no PostgreSQL at {host}:{port} ({exc.strerror or exc}); set BENCH_DATABASE_URL"
    # A URL naming its own ocop_bench_orders… database keeps that name (two benches on one server
    # must not drop each other's database); any other name only says which server to use.
    named = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path=f"/{named if named.startswith(DB_NAME) else DB_NAME}")), ""


def measure(*, seconds: float, tmp: Path, say=print) -> str | None:
    """Prepare, measure in a child process, print the figures, drop the database. Returns a one-line
    problem when something could not run (the numbers themselves never fail anything)."""
    url, why = database_url()
    if url is None:
        say(f"orders bench skipped: {why}")
        return None
    env = shops.ours_env(tmp, url)
    log = tmp / "orders.log"
    try:
        shops.recreate_postgres(url)
        try:
            t_migrate = shops.manage(PROJECT, env, "migrate", "--noinput", log=log)
            say(f"orders: migrate {t_migrate:.1f} s, then {BUYERS} buyers × {seconds:g} s per scenario …")
            done = subprocess.run([shops.PY, str(Path(__file__)), "--child", "--seconds", str(seconds)],
                                  cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600 + 4 * seconds)
        finally:
            shops.drop_postgres(url)
    except shops.StepFailed as exc:
        say(f"orders bench could not run: {exc}")
        return f"orders bench: {exc}"
    if done.returncode:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        say(f"orders bench could not run: {tail}")
        return f"orders bench: {tail}"
    results = json.loads(done.stdout.strip().splitlines()[-1])
    say()
    say(format_table(results))
    say(f"PostgreSQL, service level: {BUYERS} threads each on its own connection calling OrderCreator.place_order "
        f"(COD, 1 unit per order, fresh basket each), {seconds:g} s per scenario; not HTTP")
    return None


def format_table(results: dict) -> str:
    head = f"{'orders scenario':<24} | {'orders/s':>8} | {'orders':>6} | {'p50 place_order':>15} | " \
           f"{'p95 place_order':>15} | errors"
    rows = [head, "-" * len(head)]
    for name in SCENARIOS:
        r = results[name]
        label = f"{name} ({'1 product' if name == 'contested' else f'{BUYERS} products'})"
        rows.append(f"{label:<24} | {r['rate']:>8.1f} | {r['orders']:>6} | {r['p50_ms']:>12.1f} ms | "
                    f"{r['p95_ms']:>12.1f} ms | {r['errors']}{(' ' + r['first_error']) if r['errors'] else ''}")
    return "\n".join(rows)


# ---------------------------------------------------------------------------- the child process
def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def child(seconds: float) -> dict:
    import threading
    import time

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    django.setup()
    from django.db import connection
    from oscar.core.loading import get_class, get_model

    from bench import seed
    from demo.catalogue import ensure_country

    Basket = get_model("basket", "Basket")
    StockRecord = get_model("partner", "StockRecord")
    ShippingAddress = get_model("order", "ShippingAddress")
    OrderCreator = get_class("order.utils", "OrderCreator")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    Selector = get_class("partner.strategy", "Selector")
    Free = get_class("shipping.methods", "Free")

    country = ensure_country()
    partner = seed.producer("bench-htx", "HTX Bench")
    products = seed.stocked_products(partner, BUYERS + 1, title="Chè Shan tuyết", sku_prefix="BENCH", stock=10_000_000)
    connection.close()

    def one_order(product) -> float:
        basket = Basket.objects.create()
        basket.strategy = Selector().strategy()
        basket.add_product(product, 1)
        method = Free()
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        address = ShippingAddress.objects.create(first_name="Hà", last_name="Nguyễn", line1="12 Tô Hiệu",
                                                 line4="Sơn La", country=country, phone_number="+84912345678")
        started = time.perf_counter()
        OrderCreator().place_order(basket=basket, total=total, shipping_method=method, shipping_charge=charge,
                                   shipping_address=address, guest_email="bench@example.vn")
        return time.perf_counter() - started

    one_order(products[0])  # warm: imports, first queries
    connection.close()

    def scenario(targets: list) -> dict:
        """One buyer thread per target product, released together, buying until the deadline."""
        start = threading.Barrier(len(targets) + 1)
        timings: list[list[float]] = [[] for _ in targets]
        errors: list[str] = []
        deadline = [0.0]  # set when all buyers are ready

        def buyer(i):
            try:
                start.wait()
                while time.monotonic() < deadline[0]:
                    timings[i].append(one_order(targets[i]))
            except Exception as exc:  # reported, never raised: a bench prints what happened
                errors.append(f"{type(exc).__name__}: {exc}")
            finally:
                connection.close()

        threads = [threading.Thread(target=buyer, args=(i,)) for i in range(len(targets))]
        for t in threads:
            t.start()
        deadline[0] = time.monotonic() + seconds
        began = time.monotonic()
        start.wait()
        for t in threads:
            t.join()
        wall = time.monotonic() - began
        calls = [x for per in timings for x in per]
        return {"orders": len(calls), "rate": len(calls) / wall if wall else 0.0,
                "p50_ms": 1000 * _percentile(calls, 0.50), "p95_ms": 1000 * _percentile(calls, 0.95),
                "errors": len(errors), "first_error": errors[0][:120] if errors else ""}

    results = {"contested": scenario([products[0]] * BUYERS), "uncontested": scenario(products[1:])}
    sold = StockRecord.objects.filter(product__in=products).values_list("num_allocated", flat=True)
    results["allocated_total"] = sum(n or 0 for n in sold)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="COD orders per second on PostgreSQL, 8 concurrent buyers.")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5")))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.seconds)))
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="ocop-bench-orders-"))
    try:
        problem = measure(seconds=args.seconds, tmp=tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())

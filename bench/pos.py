"""`make bench`, the showroom counter: add-to-cart by barcode p95 and complete-sale p95.

Through Django's full request stack (middleware, session, CSRF-exempt test client, views, the
database) in a child process, one cashier at one counter, as a real counter works: scan two
products, complete the sale in cash, again and again for the given seconds. Not over a socket:
the figure is the server's time per request. On the bench's database (BENCH_DATABASE_URL when it
is PostgreSQL and answers, else a fresh SQLite file), migrated first and dropped at the end.
Targets (issue 7): add-to-cart under 100 ms, complete-sale under 300 ms. It never fails on a number.

    python bench/pos.py --seconds 5          # on its own
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench import orders, shops  # noqa: E402

DB_NAME = "ocop_bench_pos"
TARGETS_MS = {"scan": 100, "complete": 300}


def database_url(tmp: Path) -> tuple[str, str]:
    """(URL, what it is): PostgreSQL when the orders bench would use it, else SQLite in `tmp`."""
    url, _why = orders.database_url()
    if url:
        return url.rsplit("/", 1)[0] + f"/{DB_NAME}", "PostgreSQL"
    return f"sqlite:///{tmp / 'pos.sqlite3'}", "SQLite"


def measure(*, seconds: float, tmp: Path, say=print) -> str | None:
    url, kind = database_url(tmp)
    env = shops.ours_env(tmp, url)
    log = tmp / "pos.log"
    try:
        if kind == "PostgreSQL":
            shops.recreate_postgres(url)
        try:
            t_migrate = shops.manage(PROJECT, env, "migrate", "--noinput", log=log)
            say(f"pos: migrate {t_migrate:.1f} s, then one counter for {seconds:g} s …")
            done = subprocess.run([shops.PY, str(Path(__file__)), "--child", "--seconds", str(seconds)],
                                  cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600 + 4 * seconds)
        finally:
            if kind == "PostgreSQL":
                shops.drop_postgres(url)
    except shops.StepFailed as exc:
        say(f"pos bench could not run: {exc}")
        return f"pos bench: {exc}"
    if done.returncode:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        say(f"pos bench could not run: {tail}")
        return f"pos bench: {tail}"
    results = json.loads(done.stdout.strip().splitlines()[-1])
    say()
    say(format_table(results))
    say(f"{kind}, Django test client in one process (full middleware and views, no socket), one counter: "
        f"scan two products by barcode, complete in cash; {seconds:g} s")
    return None


def format_table(results: dict) -> str:
    head = f"{'counter request':<24} | {'requests':>8} | {'p50':>9} | {'p95':>9} | {'target p95':>10} | errors"
    rows = [head, "-" * len(head)]
    for name, label in (("scan", "add to cart by barcode"), ("complete", "complete sale (cash)")):
        r = results[name]
        rows.append(f"{label:<24} | {r['n']:>8} | {r['p50_ms']:>6.1f} ms | {r['p95_ms']:>6.1f} ms | "
                    f"{TARGETS_MS[name]:>7} ms | {r['errors']}{(' ' + r['first_error']) if r['errors'] else ''}")
    return "\n".join(rows)


# ---------------------------------------------------------------------------- the child process
def child(seconds: float) -> dict:
    import time
    from decimal import Decimal

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench import seed
    from pos import shifts, stock
    from showrooms.models import Showroom, ShowroomStaff

    producer = seed.producer("bench-pos-htx", "HTX Bench")
    showroom = Showroom.objects.create(name="Điểm OCOP Bench", slug="bench-pos", ward_code=1, street="Bench")
    products = seed.stocked_products(producer, 2, title="Chè Shan tuyết bench", sku_prefix="BP", stock=10_000_000,
                                     upc_of=lambda n: f"893000000{n:04d}", kind=seed.product_class("bench-pos"))
    stock.transfer(producer=producer, showroom=showroom, items=[stock.Item(p, 1_000_000) for p in products],
                   notify_producer=False)
    user = get_user_model().objects.create_user("bench-cashier", "bench-cashier@example.vn", "bench-pass-2026")
    ShowroomStaff.objects.create(showroom=showroom, user=user)
    shifts.open_shift(user=user, showroom=showroom, opening_float=Decimal(0))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    timings = {"scan": [], "complete": []}
    errors = {"scan": [], "complete": []}

    def timed(name, path, body):
        started = time.perf_counter()
        response = client.post(path, json.dumps(body), content_type="application/json")
        timings[name].append(time.perf_counter() - started)
        if response.status_code != 200:
            errors[name].append(f"{response.status_code} {response.content[:100]!r}")
        return response

    def one_sale():
        cart = None
        for product in products:
            cart = timed("scan", "/pos/api/scan/", {"code": product.upc}).json().get("cart")
        timed("complete", "/pos/api/complete/", {"basket": cart["basket"], "version": cart["version"],
                                                "cash_tendered": cart["total"]})

    one_sale()  # warm: imports, template and query caches
    timings = {"scan": [], "complete": []}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        one_sale()
    return {name: {"n": len(values), "p50_ms": 1000 * orders._percentile(values, 0.5),
                   "p95_ms": 1000 * orders._percentile(values, 0.95), "errors": len(errors[name]),
                   "first_error": errors[name][0][:120] if errors[name] else ""}
            for name, values in timings.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Showroom counter: add-to-cart and complete-sale p95.")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5")))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.seconds)))
        return 0
    with tempfile.TemporaryDirectory(prefix="ocop-bench-pos-") as tmp:
        problem = measure(seconds=args.seconds, tmp=Path(tmp))
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())

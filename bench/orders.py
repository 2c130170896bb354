"""`make bench`, orders: COD orders placed per second on PostgreSQL by 8 concurrent buyers.

Service level, not HTTP: a buyer builds a fresh basket (one unit), the shipping charge and total as
the checkout's preview has them and a delivery address, then calls our OrderCreator.place_order
(the checkout's last step: stock locked in pk order, re-checked and allocated, order rows written,
in one transaction), as fast as it can for the given seconds. Two scenarios: "contested" (all 8
buy the same product, so they queue on its row lock) and "uncontested" (each buys its own).
Reports orders/s (whole buyer loop, basket included, wall clock) and the p50/p95 of the
place_order call alone; then, one buyer alone in one process, each step's Python CPU per order and
the statements and Redis round trips one order sends (order_cost: where the rate goes, steadier
than the rates on a shared machine).

How the 8 buyers run, both printed, one under the other:
- "8 processes" (the deployment's shape; the goal of issue 21 is read on it): each buyer in a
  process of its own. The deployment serves every request in flight by a gunicorn sync worker
  process of its own (docker-compose: 2 web replicas × WEB_CONCURRENCY=3), one request at a time,
  so 8 shoppers placing orders at once are 8 processes sharing the machine's cores.
- "8 threads, 1 process" (the figure this bench printed before issue 21): one Python process, so
  the 8 buyers share one GIL: on a 2-core machine the rate is bound by one core of Python, whatever
  the database does. Kept beside the other so nothing is hidden.

The producers' notifications are delivered by a Celery worker, as in the deployment: place_order
writes them and publishes their ids after commit. The broker is BENCH_REDIS_URL's Redis when given
(then also the cache, the production shape; the queue is purged afterwards), else an in-process
memory broker that nothing reads (bench/notify_latency.py measures delivery). Before issue 21 this
bench had no broker: each order's delivery ran inline, inside the place_order call it timed.

Afterwards, on the database the buyers wrote: no unit oversold (every record's allocated units
equal the units its order lines hold, within its stock: a lost update under the row lock would
show), `manage.py stock_audit` (every record equals the sum of its movements) and
`manage.py ledger_audit` (the producers' money) and `manage.py search_rows_audit` (the search table
its triggers kept while the buyers sold stock out); a failure there is a problem of the run.

Only on PostgreSQL (SQLite has one writer at a time: nothing to learn about row locks): the server of
BENCH_DATABASE_URL, else 127.0.0.1:5432; a database named ocop_bench_orders (or the one BENCH_DATABASE_URL
names, when its name starts with ocop_bench_orders) is created, migrated and dropped at the end.
Without PostgreSQL it prints one line saying so. It never fails on a rate.

    python bench/orders.py --seconds 5          # on its own
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench import shops  # noqa: E402

BUYERS = 8
DB_NAME = "ocop_bench_orders"
SCENARIOS = ("contested", "uncontested")
# (label, processes): the deployment's shape first, then the single-process figure printed before.
MODELS = (("8 processes", BUYERS), ("8 threads, 1 process", 1))
# Orders each buyer process places before the clock starts: the first ones of a process pay for its
# imports, caches and first queries (with 8 processes, ~10 orders each in 5 s, that was 2× the CPU).
WARM_ORDERS = 5
GOAL_RATE, GOAL_P95_MS = 100.0, 200.0  # issue 21, uncontested, on the deployment's shape


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


def child_env(tmp: Path, url: str) -> dict[str, str]:
    """The shop's bench settings, with a broker: BENCH_REDIS_URL's Redis, else kombu's memory broker."""
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    env = shops.ours_env(tmp, url, redis_url=redis_url)
    env["CELERY_BROKER_URL"] = redis_url or "memory://"
    return env


def measure(*, seconds: float, tmp: Path, say=print) -> str | None:
    """Prepare, measure in a child process, print the figures and checks, drop the database. Returns
    a one-line problem when something could not run or a check failed (a rate never fails anything)."""
    url, why = database_url()
    if url is None:
        say(f"orders bench skipped: {why}")
        return None
    env = child_env(tmp, url)
    log = tmp / "orders.log"
    try:
        shops.recreate_postgres(url)
        try:
            t_migrate = shops.manage(PROJECT, env, "migrate", "--noinput", log=log)
            say(f"orders: migrate {t_migrate:.1f} s, then {BUYERS} buyers × {seconds:g} s per scenario, "
                f"as {' and as '.join(label for label, _ in MODELS)} …")
            done = subprocess.run([shops.PY, str(Path(__file__)), "--child", "--seconds", str(seconds)],
                                  cwd=PROJECT, env=env, capture_output=True, text=True, timeout=900 + 8 * seconds)
            audits = [audit(env, command) for command in ("stock_audit", "ledger_audit", "search_rows_audit")] if not done.returncode else []
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
    say(f"PostgreSQL, service level (OrderCreator.place_order, COD, 1 unit per order, fresh basket each; not "
        f"HTTP), {seconds:g} s per run; notifications to {results['broker']}; load average "
        f"{results['load_before']:.1f} before, {results['load_after']:.1f} after (2 cores here: above 2, "
        "something else is running)")
    say(cpu_line(results))
    say(cost_line(results["cost"]))
    say(goal_line(results))
    checks = [oversold_line(results["oversold"])] + [line for _, line in audits]
    say("; ".join(checks))
    failed = [line for ok, line in audits if not ok] + ([checks[0]] if results["oversold"] else [])
    return f"orders bench: {'; '.join(failed)}" if failed else None


def audit(env: dict, command: str) -> tuple[bool, str]:
    """Run `manage.py <command>` on the bench database: (passed, its last line)."""
    done = subprocess.run([shops.PY, "manage.py", command], cwd=PROJECT, env=env, capture_output=True, text=True,
                          timeout=600)
    lines = [ln.strip() for ln in (done.stdout + done.stderr).splitlines() if ln.strip()]
    return done.returncode == 0, lines[-1] if lines else f"{command}: no output (exit {done.returncode})"


def format_table(results: dict) -> str:
    head = (f"{'orders scenario':<24} | {'buyers as':<20} | {'orders/s':>8} | {'orders':>6} | "
            f"{'p50 place_order':>15} | {'p95 place_order':>15} | errors")
    rows = [head, "-" * len(head)]
    for name in SCENARIOS:
        label = f"{name} ({'1 product' if name == 'contested' else f'{BUYERS} products'})"
        for model, _ in MODELS:
            r = results["runs"][f"{name}/{model}"]
            rows.append(f"{label:<24} | {model:<20} | {r['rate']:>8.1f} | {r['orders']:>6} | {r['p50_ms']:>12.1f} ms | "
                        f"{r['p95_ms']:>12.1f} ms | {r['errors']}{(' ' + r['first_error']) if r['errors'] else ''}")
            label = ""
    return "\n".join(rows)


def goal_line(results: dict) -> str:
    model = MODELS[0][0]
    r = results["runs"][f"uncontested/{model}"]
    met = r["rate"] >= GOAL_RATE and r["p95_ms"] < GOAL_P95_MS and not results["oversold"] and not r["errors"]
    return (f"goal (issue 21, uncontested, {model}): ≥ {GOAL_RATE:.0f} orders/s with p95 < {GOAL_P95_MS:.0f} ms "
            f"and 0 oversold: {r['rate']:.1f}/s, p95 {r['p95_ms']:.0f} ms → {'met' if met else 'NOT met'}")


def cpu_line(results: dict) -> str:
    """What one order costs the machine, read from the CPU clocks of the buyer processes and of their
    PostgreSQL backends (less moved by other work on the machine than the rates): an upper bound
    of the rate this machine's cores could give if nothing else ran."""
    r = results["runs"][f"uncontested/{MODELS[0][0]}"]
    total = r["cpu_ms"] + r["db_cpu_ms"]
    cores = os.cpu_count() or 1
    bound = f"; {cores} cores all busy with it: at most {1000 * cores / total:.0f} orders/s" if r["db_cpu_ms"] else ""
    return (f"CPU per order (uncontested, {MODELS[0][0]}; basket, address and place_order): Python "
            f"{r['cpu_ms']:.1f} ms + PostgreSQL {r['db_cpu_ms']:.1f} ms = {total:.1f} ms{bound}")


def cost_line(cost: dict) -> str:
    """Each step's Python CPU per order, one buyer alone (order_cost): where a rate goes."""
    steps = cost["steps_ms"]
    parts = " + ".join(f"{name} {ms:.1f}" for name, ms in steps.items())
    return (f"one order's Python CPU, {cost['orders']} orders one after the other in one process: {parts} = "
            f"{sum(steps.values()):.1f} ms; {cost['statements']} statements and "
            f"{cost.get('redis_round_trips', 0)} Redis round trips per order (load {cost['load']:.1f})")


def oversold_line(oversold: list) -> str:
    if not oversold:
        return "oversold: 0 (every stock record: allocated = units its order lines hold, ≤ in stock)"
    return f"OVERSOLD or lost units on {len(oversold)} records: {'; '.join(oversold[:3])}"


# ---------------------------------------------------------------------------- the child processes
def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    django.setup()


# The steps of one buyer's order, in order (order_steps; the cost line names them).
STEPS = ("basket", "add_product", "shipping charge", "total", "address", "place_order")


def order_steps():
    """one_order(product, cpu=None) -> seconds place_order took: a fresh basket with one unit, the
    shipping charge and total as the checkout's preview has them, a delivery address, place_order.
    `cpu`: a dict that gets each step's CPU seconds added (STEPS)."""
    from oscar.core.loading import get_class, get_model

    from demo.catalogue import ensure_country

    Basket = get_model("basket", "Basket")
    ShippingAddress = get_model("order", "ShippingAddress")
    OrderCreator = get_class("order.utils", "OrderCreator")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    Selector = get_class("partner.strategy", "Selector")
    Free = get_class("shipping.methods", "Free")
    country = ensure_country()

    def one_order(product, cpu=None) -> float:
        clock = [time.process_time()]

        def step(name):
            if cpu is not None:
                now = time.process_time()
                cpu[name] = cpu.get(name, 0.0) + now - clock[0]
                clock[0] = now

        basket = Basket.objects.create()
        basket.strategy = Selector().strategy()
        step("basket")
        basket.add_product(product, 1)
        step("add_product")
        method = Free()
        charge = method.calculate(basket)
        step("shipping charge")
        total = OrderTotalCalculator().calculate(basket, charge)
        step("total")
        address = ShippingAddress.objects.create(first_name="Hà", last_name="Nguyễn", line1="12 Tô Hiệu",
                                                 line4="Sơn La", country=country, phone_number="+84912345678")
        step("address")
        started = time.perf_counter()
        OrderCreator().place_order(basket=basket, total=total, shipping_method=method, shipping_charge=charge,
                                   shipping_address=address, guest_email="bench@example.vn")
        took = time.perf_counter() - started
        step("place_order")
        return took

    return one_order


def order_cost(product_id: int, orders: int = 100) -> dict:
    """Where one order's Python CPU goes: `orders` placed one after the other in this process (after
    WARM_ORDERS), each step's CPU ms per order, and the statements and Redis round trips one order sends."""
    from django.db import connection
    from oscar.core.loading import get_model

    product = get_model("catalogue", "Product").objects.get(pk=product_id)
    one_order = order_steps()
    for _ in range(WARM_ORDERS):
        one_order(product)
    statements = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)), \
            _redis_round_trips() as round_trips:
        one_order(product)
    cpu: dict[str, float] = {}
    for _ in range(orders):
        one_order(product, cpu)
    return {"orders": orders, "steps_ms": {name: 1000 * cpu[name] / orders for name in STEPS},
            "statements": len(statements), "redis_round_trips": round_trips[0], "load": os.getloadavg()[0]}


@contextlib.contextmanager
def _redis_round_trips():
    """[how many commands or pipelines this process sent to Redis meanwhile]: the cache versions an
    order bumps and the broker's publish (each a round trip: CPU in the buyer and in Redis, which
    shares the cores). Counted where redis-py sends, which django-redis and kombu both use."""
    from redis.connection import AbstractConnection

    sent = [0]
    send = AbstractConnection.send_packed_command

    def counted(self, *args, **kwargs):
        sent[0] += 1
        return send(self, *args, **kwargs)

    AbstractConnection.send_packed_command = counted
    try:
        yield sent
    finally:
        AbstractConnection.send_packed_command = send


def buyer_loop(product_ids: list[int], seconds: float, ready_then_go) -> dict:
    """One thread per product id, each buying it until the deadline: {"calls": [s…], "errors": […],
    "wall": s}. `ready_then_go()` is called once warmed up and returns the time.time() to start at."""
    import threading

    from django.db import connection
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    one_order = order_steps()
    products = Product.objects.in_bulk(product_ids)
    targets = [products[pk] for pk in product_ids]

    for product in targets[:1] * WARM_ORDERS:  # warm: imports, first queries, this process's caches
        one_order(product)
    connection.close()
    start = threading.Barrier(len(targets) + 1)
    calls: list[list[float]] = [[] for _ in targets]
    ends = [0.0] * len(targets)
    db_cpu = [0.0] * len(targets)
    errors: list[str] = []
    window = {}

    def buyer(i):
        try:
            with connection.cursor() as cursor:  # this thread's PostgreSQL backend, for its CPU time
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
            start.wait()
            db_before = _cpu_seconds(backend)
            while time.time() < window["deadline"]:
                calls[i].append(one_order(targets[i]))
                ends[i] = time.time()
            db_cpu[i] = _cpu_seconds(backend) - db_before
        except Exception as exc:  # reported, never raised: a bench prints what happened
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(len(targets))]
    for t in threads:
        t.start()
    began = ready_then_go()
    time.sleep(max(0.0, began - time.time()))
    window["deadline"] = began + seconds
    cpu_before = time.process_time()
    start.wait()
    for t in threads:
        t.join()
    return {"calls": [x for per in calls for x in per], "errors": errors, "wall": max(ends + [began]) - began,
            "cpu": time.process_time() - cpu_before, "db_cpu": sum(db_cpu)}


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process of this machine has used: the buyer's PostgreSQL backend.
    0 when it is not here (a database on another host)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(product_ids: list[int], processes: int, seconds: float) -> dict:
    """The buyers spread over `processes` worker processes (`--worker`), started together."""
    groups = [product_ids[i::processes] for i in range(processes)]
    workers = [subprocess.Popen([sys.executable, str(Path(__file__)), "--worker", "--seconds", str(seconds),
                                 "--products", ",".join(map(str, group))],
                                cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for group in groups]
    try:
        for worker in workers:  # each says "ready" once Django is up and warmed
            while (said := worker.stdout.readline()) and said.strip() != "ready":
                pass
            if not said:
                raise RuntimeError("a buyer process did not start")
        go_at = time.time() + 0.3
        for worker in workers:
            worker.stdin.write(f"{go_at}\n")
            worker.stdin.flush()
        parts = [json.loads(worker.communicate(timeout=120 + 4 * seconds)[0].strip().splitlines()[-1])
                 for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    calls = [x for part in parts for x in part["calls"]]
    errors = [e for part in parts for e in part["errors"]]
    wall = max(part["wall"] for part in parts) or seconds
    per_order = 1000 / max(len(calls), 1)
    return {"orders": len(calls), "rate": len(calls) / wall, "p50_ms": 1000 * _percentile(calls, 0.50),
            "p95_ms": 1000 * _percentile(calls, 0.95), "errors": len(errors),
            "first_error": errors[0][:120] if errors else "",
            "cpu_ms": per_order * sum(part["cpu"] for part in parts),
            "db_cpu_ms": per_order * sum(part["db_cpu"] for part in parts)}


def child(seconds: float) -> dict:
    _setup_django()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Sum
    from oscar.core.loading import get_model

    from bench import seed

    Line = get_model("order", "Line")
    StockRecord = get_model("partner", "StockRecord")
    partner = seed.producer("bench-htx", "HTX Bench")
    products = seed.stocked_products(partner, BUYERS + 1, title="Chè Shan tuyết", sku_prefix="BENCH", stock=10_000_000)
    connection.close()
    load_before = os.getloadavg()[0]
    runs = {}
    for name in SCENARIOS:
        ids = [products[0].pk] * BUYERS if name == "contested" else [p.pk for p in products[1:]]
        for model, processes in MODELS:
            runs[f"{name}/{model}"] = run(ids, processes, seconds)
    cost = order_cost(products[-1].pk)  # after the runs: alone on the machine's cores, as far as this bench goes
    connection.close()
    held = dict(Line.objects.filter(product__in=products).values_list("stockrecord_id").annotate(n=Sum("num_allocated"))
                .order_by())
    oversold = [f"#{r.pk}: allocated {r.num_allocated}, lines hold {held.get(r.pk, 0)}, in stock {r.num_in_stock}"
                for r in StockRecord.objects.filter(product__in=products).order_by("pk")
                if (r.num_allocated or 0) != held.get(r.pk, 0) or (r.num_allocated or 0) > (r.num_in_stock or 0)]
    broker = settings.CELERY_BROKER_URL
    if broker.startswith("redis"):
        from shop.celery import app

        app.control.purge()  # nobody delivers them here
    return {"runs": runs, "cost": cost, "oversold": oversold, "load_before": load_before,
            "load_after": os.getloadavg()[0],
            "broker": "Redis (BENCH_REDIS_URL), also the cache" if broker.startswith("redis")
            else "an in-process memory broker nothing reads; local-memory cache"}


def worker(product_ids: list[int], seconds: float) -> dict:
    """A buyer process: says "ready" on stdout, reads the start time from stdin (run() sends it)."""
    _setup_django()

    def ready_then_go() -> float:
        print("ready", flush=True)
        return float(sys.stdin.readline())

    return buyer_loop(product_ids, seconds, ready_then_go)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="COD orders per second on PostgreSQL, 8 concurrent buyers.")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5")))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--products", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.seconds)))
        return 0
    if args.worker:
        print(json.dumps(worker([int(pk) for pk in args.products.split(",")], args.seconds)))
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="ocop-bench-orders-"))
    try:
        problem = measure(seconds=args.seconds, tmp=tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())

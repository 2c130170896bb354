"""`make bench`, notifications: latency from an order's commit to its producer notification being
delivered (e-mail sent and the outbox row marked sent), p50/p95 over 200 orders, through Redis and
a real Celery worker process.

The orders are placed one after another by one buyer (as a busy hour arrives, not a flood), each in
its own transaction; the worker (`celery -A shop worker`, prefork, 2 processes, e-mail to a dummy
backend) delivers as the commits publish. Needs PostgreSQL and Redis: DATABASE_URL (its server; a
database named ocop_bench_notify is created, migrated and dropped) and REDIS_URL (its broker). Without
them it prints one line saying so. It never fails on a number.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x REDIS_URL=redis://127.0.0.1:6379/11 python bench/notify_latency.py
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench import shops  # noqa: E402
from bench.orders import _percentile  # noqa: E402

ORDERS = 200
DB_NAME = "ocop_bench_notify"


def services() -> tuple[tuple[str, str] | None, str]:
    """((bench database URL, broker URL), "") or (None, why the bench is skipped)."""
    database, broker = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not urlsplit(database).scheme.startswith("postgres"):
        return None, "needs DATABASE_URL=postgres://… (its server) and REDIS_URL=redis://…"
    if not broker.startswith("redis"):
        return None, "needs REDIS_URL=redis://… (the broker) beside DATABASE_URL"
    return (urlunsplit(urlsplit(database)._replace(path=f"/{DB_NAME}")), broker), ""


def measure(*, tmp: Path, orders: int = ORDERS, say=print) -> str | None:
    """Prepare, measure in a child process, print the figures, drop the database. Returns a one-line
    problem when something could not run."""
    found, why = services()
    if found is None:
        say(f"notification bench skipped: {why}")
        return None
    url, broker = found
    env = shops.ours_env(tmp, url)
    env.update(REDIS_URL=broker, CELERY_BROKER_URL=broker, EMAIL_URL="dummymail://")
    log = tmp / "notifications.log"
    try:
        shops.recreate_postgres(url)
        try:
            shops.manage(PROJECT, env, "migrate", "--noinput", log=log)
            say(f"notifications: {orders} orders, one after another, delivered by a worker through Redis …")
            done = subprocess.run([shops.PY, str(Path(__file__)), "--child", "--orders", str(orders)], cwd=PROJECT,
                                  env=env, capture_output=True, text=True, timeout=900)
        finally:
            shops.drop_postgres(url)
    except (shops.StepFailed, subprocess.TimeoutExpired) as exc:
        say(f"notification bench could not run: {exc}")
        return f"notification bench: {exc}"
    if done.returncode:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        say(f"notification bench could not run: {tail}")
        return f"notification bench: {tail}"
    say(format_result(json.loads(done.stdout.strip().splitlines()[-1])))
    return None


def format_result(r: dict) -> str:
    return (f"notification latency, order commit → delivered: p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, "
            f"max {r['max_ms']:.0f} ms over {r['delivered']}/{r['orders']} orders "
            f"(placed at {r['rate']:.1f} orders/s; Redis, 1 worker × 2 processes, PostgreSQL)")


# ---------------------------------------------------------------------------- the child process
def child(count: int) -> dict:
    import time

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from bench import seed
    from notifications.models import Notification, Status
    from shop.celery import app
    from tests.checkout.stock.factories import basket_of, place

    partner = seed.producer("bench-htx", "HTX Bench",
                            users=[get_user_model().objects.create_user("bench-producer", "htx@bench.example", "x")])
    product = seed.stocked_product(partner, title="Chè Shan tuyết", sku="BENCH-NOTIFY", stock=10_000_000)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    connection.close()

    worker = shops.Worker(PROJECT, dict(os.environ), Path(os.devnull)).start()
    try:
        place(basket_of((product, 1)))  # warm: imports, and wait for the worker to deliver it
        first = Notification.objects.get()
        deadline = time.monotonic() + 60
        while Notification.objects.filter(pk=first.pk, status=Status.PENDING).exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the worker delivered nothing within 60 s")
            time.sleep(0.05)
        committed = {}
        began = time.monotonic()
        for _ in range(count):
            with transaction.atomic():
                order = place(basket_of((product, 1)))
            committed[order.pk] = time.time()
        rate = count / (time.monotonic() - began)
        deadline = time.monotonic() + 120
        rows = Notification.objects.filter(order_id__in=committed)
        while rows.filter(status=Status.PENDING).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        sent = dict(rows.filter(status=Status.SENT).values_list("order_id", "sent_at"))
    finally:
        worker.stop()
    latencies = [max(0.0, sent[pk].timestamp() - at) for pk, at in committed.items() if pk in sent]
    return {"orders": count, "delivered": len(latencies), "rate": rate,
            "p50_ms": 1000 * _percentile(latencies, 0.50), "p95_ms": 1000 * _percentile(latencies, 0.95),
            "max_ms": 1000 * max(latencies, default=0.0)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Order commit → producer notification delivered, p50/p95.")
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.orders)))
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="ocop-bench-notify-"))
    try:
        problem = measure(tmp=tmp, orders=args.orders)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`, signed-in pages: the server time and query count of every page a signed-in person
opens (issue 21's goal: under 30 ms, a fixed number of queries however many lines, orders or products).

    shopper   basket (10 lines), checkout's address, shipping method, payment and preview steps,
              account order history (20 orders) and one order (10 lines)
    producer  portal home, orders (30), one order (10 of their lines), stock and prices (page 1 and
              the last page of thousands of products), saving a page of 50 rows
    office    the dashboard's order list and one order (10 lines)

Through Django's whole request stack in one process (test client: middleware, session, views,
templates, the database; no socket), DEBUG=0, on the bench's database: the seeded one
(BENCH_EXISTING_DATABASE_URL, 100,000 products on PostgreSQL) or the one `make bench` just seeded.
The producer is the one that sells the most products. Everything this bench writes (three users,
their orders, a basket, a stock save) is made inside ONE transaction that is rolled back at the
end: the database is left as it was, so a shared seeded database stays read-only. (Pages run as
savepoints inside it instead of their own transactions; their queries are the same.)

Prints, per page, the queries of one request and the p50/p95 of the server time over the given
seconds, with the load average (2 cores here: above 2, other work shares the machine), and two
figures that a busy machine inflates less: "cpu p50", the Django process's own CPU time per
request (templates, forms, ORM; not the database's), and "db", the database time of the counted
request (as the driver saw it). It never fails on a number.

    python bench/signed_in.py --seconds 5                 # DATABASE_URL / REDIS_URL of the environment
    python bench/signed_in.py --child --profile "producer: home"   # cProfile one page (bench settings in the env)
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

TARGET_MS = 30
MAX_REQUESTS = 300  # per page: enough for a p95, bounded on a fast machine


def measure(*, env: dict, seconds: float, say=print) -> str | None:
    """Run the pages in a child process with the bench's environment (`env`: our shop's settings and
    database); print the table. Returns a one-line problem when it could not run."""
    env = {**env, "DEBUG": "0"}
    say(f"signed-in pages: {env['DATABASE_URL'].rsplit('/', 1)[-1]}, {seconds:g} s per page …")
    try:
        done = subprocess.run([shops.PY, str(Path(__file__)), "--child", "--seconds", str(seconds)],
                              cwd=PROJECT, env=env, capture_output=True, text=True, timeout=900 + 30 * seconds)
    except subprocess.TimeoutExpired:
        say("signed-in bench could not run: timed out")
        return "signed-in bench: timed out"
    if done.returncode:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        say(f"signed-in bench could not run: {tail}")
        return f"signed-in bench: {tail}"
    results = json.loads(done.stdout.strip().splitlines()[-1])
    say()
    say(format_table(results))
    say(f"{results['products']} products, producer {results['producer']} with {results['producer_products']} "
        f"products; Django test client in one process (whole middleware and views, no socket), DEBUG=0, "
        f"{seconds:g} s per page; server time per request. Target < {TARGET_MS} ms, same queries at any size.")
    return None


def format_table(results: dict) -> str:
    head = (f"{'signed-in page':<34} | {'queries':>7} | {'p50':>9} | {'p95':>9} | {'cpu p50':>9} | "
            f"{'db':>9} | {'requests':>8} | {'load avg':>8} | vs {TARGET_MS} ms")
    rows = [head, "-" * len(head)]
    for r in results["pages"]:
        if r.get("error"):
            rows.append(f"{r['page']:<34} | {'—':>7} | {'—':>9} | {'—':>9} | {'—':>9} | {'—':>9} | {'—':>8} | "
                        f"{'':>8} | {r['error']}")
            continue
        verdict = "met" if r["p95_ms"] < TARGET_MS else ("p50 met" if r["p50_ms"] < TARGET_MS else "NOT met")
        rows.append(f"{r['page']:<34} | {r['queries']:>7} | {r['p50_ms']:>6.1f} ms | {r['p95_ms']:>6.1f} ms | "
                    f"{r.get('cpu_p50_ms', 0):>6.1f} ms | {r.get('db_ms', 0):>6.1f} ms | {r['n']:>8} | "
                    f"{r['load']:>8.1f} | {verdict}")
    return "\n".join(rows)


# ---------------------------------------------------------------------------- the child process
def child(seconds: float, profile: str = "", min_requests: int = 10, only: str = "") -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    django.setup()
    from django.db import transaction

    with transaction.atomic():
        world = World()
        as_if_committed()
        chosen = [(name, call) for name, call in world.pages() if (profile or only) in name]
        pages = [profiled(name, call) if profile else timed(name, call, seconds, min_requests)
                 for name, call in chosen]
        transaction.set_rollback(True)  # nothing of this bench stays in the database
    return {"pages": pages, "products": world.product_count, "producer": world.partner.code,
            "producer_products": world.producer_products}


def as_if_committed():
    """What the commit of the world would do for the permission cache (shop/dashboard/permission_cache.py):
    its users got their rights inside the bench's transaction, which never commits, and a connection
    holding an uncommitted change of rights never caches permissions (a rollback would undo the change)."""
    from django.db import connection

    try:
        from shop.dashboard.permission_cache import _after_commit
    except ImportError:  # a branch without the cache
        return
    pending = [entry for entry in connection.run_on_commit if entry[1] is _after_commit]
    connection.run_on_commit = [entry for entry in connection.run_on_commit if entry not in pending]
    for _sids, callback, _robust in pending:
        callback()


def timed(name: str, call, seconds: float, min_requests: int = 10) -> dict:
    """`call()` makes one request and returns the response. Two warm-up requests, one counted for
    its queries, then as many as fit in `seconds` (at least `min_requests`) timed."""
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        for _ in range(2):
            _ok(call())
        freeze_like_a_worker()
        with CaptureQueriesContext(connection) as captured:
            _ok(call())
        queries = sum(1 for q in captured.captured_queries
                      if q["sql"].lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")))
        db_ms = 1000 * sum(float(q["time"]) for q in captured.captured_queries)
        times, cpu = [], []
        deadline = time.monotonic() + seconds
        while (time.monotonic() < deadline or len(times) < min_requests) and len(times) < MAX_REQUESTS:
            started, cpu_started = time.perf_counter(), time.process_time()
            _ok(call())
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
    except Exception as exc:  # reported in the table, never raised: one page must not hide the others
        return {"page": name, "error": f"{type(exc).__name__}: {exc}"[:120]}
    return {"page": name, "queries": queries, "n": len(times), "load": os.getloadavg()[0],
            "p50_ms": 1000 * orders._percentile(times, 0.5), "p95_ms": 1000 * orders._percentile(times, 0.95),
            "cpu_p50_ms": 1000 * orders._percentile(cpu, 0.5), "db_ms": db_ms}


def freeze_like_a_worker():
    """What a gunicorn worker does after its first requests (gunicorn.conf.py): what the process
    keeps (templates, URL resolvers, this bench's world) leaves the garbage collector's walks.
    Without it a full collection of the whole process (~300,000 objects) lands on a few requests,
    a cost the served pages do not pay."""
    import gc

    gc.collect()
    gc.freeze()


def profiled(name: str, call) -> dict:
    """The slowest queries of one request and a cProfile of 10 (the 40 costliest calls, cumulative), to stderr."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        _ok(call())
    freeze_like_a_worker()
    with CaptureQueriesContext(connection) as captured:
        _ok(call())
    print(f"--- {name}: the slowest queries of one request", file=sys.stderr)
    for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:8]:
        print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:400]}", file=sys.stderr)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        _ok(call())
    profiler.disable()
    print(f"--- {name}: 10 requests", file=sys.stderr)
    if os.environ.get("BENCH_PROFILE_DUMP"):  # the whole profile, for pstats (callers, tottime …)
        profiler.dump_stats(os.environ["BENCH_PROFILE_DUMP"])
    stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative"))
    stats.print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 40)
    return {"page": name, "error": "profiled (see stderr)"}


def _ok(response):
    if response.status_code not in (200, 302):
        raise RuntimeError(f"HTTP {response.status_code}")
    if response.status_code == 302 and "/login/" in response["Location"]:
        raise RuntimeError(f"sent to sign in ({response['Location']})")
    return response


def form_inputs(response) -> dict:
    """name → value of the page's <input>s (the first of each name, a checked one for radios)."""
    from html.parser import HTMLParser

    found = {}

    class Inputs(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag != "input" or not attrs.get("name"):
                return
            if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs and attrs["name"] in found:
                return
            found.setdefault(attrs["name"], attrs.get("value") or "")
            if attrs.get("type") == "radio" and "checked" in attrs:
                found[attrs["name"]] = attrs.get("value") or ""

    Inputs().feed(response.content.decode())
    return found


class World:
    """Three people and what they need, made inside the bench's transaction: a shopper with 20 orders
    and a basket of 10 lines at the payment step; the producer that sells the most products, with a
    portal user and 30 orders; an office clerk."""

    ORDERS_OF_SHOPPER, ORDERS_OF_PRODUCER, LINES = 20, 30, 10

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Count, F
        from django.test import Client
        from oscar.core.loading import get_model

        from bench import seed

        Partner, Product = get_model("partner", "Partner"), get_model("catalogue", "Product")
        StockRecord = get_model("partner", "StockRecord")
        self.product_count = Product.objects.filter(is_public=True).count()
        biggest = (StockRecord.objects.filter(product__producer=F("partner")).values("partner")
                   .annotate(n=Count("pk")).order_by("-n", "partner").first())
        if biggest is None:
            raise RuntimeError("no producer sells its own products here")
        self.partner = Partner.objects.get(pk=biggest["partner"])
        self.producer_products = StockRecord.objects.filter(partner=self.partner).count()
        records = list(StockRecord.objects.filter(partner=self.partner, product__producer=self.partner,
                                                  product__is_public=True, num_in_stock__gt=50)
                       .select_related("product").order_by("pk")[:self.LINES])
        if len(records) < self.LINES:
            raise RuntimeError(f"{self.partner.code} has fewer than {self.LINES} products in stock")
        self.products = [r.product for r in records]
        User = get_user_model()
        self.shopper_user = User.objects.create_user("bench-signed-in", "bench-signed-in@example.vn", "bench-pw-2026")
        producer_user = seed.producer_user("bench-producer@example.vn", "bench-pw-2026")
        self.partner.users.add(producer_user)
        office_user = User.objects.create_superuser("bench-office", "bench-office@example.vn", "bench-pw-2026")
        self.shopper, self.producer, self.office = (Client(HTTP_HOST="127.0.0.1") for _ in range(3))
        self.shopper.force_login(self.shopper_user)
        self.producer.force_login(producer_user)
        self.office.force_login(office_user)
        placed = [self.place(self.products[:3], user=self.shopper_user) for _ in range(self.ORDERS_OF_SHOPPER - 1)]
        self.big_order = self.place(self.products, user=self.shopper_user)
        placed += [self.place(self.products[i % 3:i % 3 + 1]) for i in range(self.ORDERS_OF_PRODUCER
                                                                              - len(placed) - 1)]
        self.fill_basket_and_checkout()

    def place(self, products, user=None):
        from decimal import Decimal

        from oscar.core.loading import get_class, get_model

        from demo.catalogue import ensure_country

        Basket = get_model("basket", "Basket")
        basket = Basket.objects.create(owner=None)
        basket.strategy = get_class("partner.strategy", "Selector")().strategy()
        for product in products:
            basket.add_product(product, 1)
        method = get_class("shipping.methods", "Free")()
        charge = method.calculate(basket)
        total = get_class("checkout.calculators", "OrderTotalCalculator")().calculate(basket, charge)
        address = get_model("order", "ShippingAddress").objects.create(
            first_name="Hà", last_name="Nguyễn", line1="12 Tô Hiệu", line4="Sơn La", country=ensure_country(),
            phone_number="+84912345678")
        assert total.incl_tax > Decimal(0)
        return get_class("order.utils", "OrderCreator")().place_order(
            basket=basket, total=total, shipping_method=method, shipping_charge=charge, shipping_address=address,
            user=user, guest_email="" if user else "bench-guest@example.vn")

    def fill_basket_and_checkout(self):
        """The shopper's basket of 10 lines, an address, a shipping method and cash on delivery: every
        checkout step then answers 200."""
        from django.urls import reverse

        from core.places import ward_code

        client = self.shopper
        for product in self.products:
            _ok(client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}))
        _ok(client.get(reverse("checkout:index")))
        answer = client.post(reverse("checkout:shipping-address"), {
            "full_name": "Nguyễn Thu Hà", "phone_number": "0912345678", "province": "14", "line1": "12 Tô Hiệu",
            "notes": "", "ward": str(ward_code("Phường Tô Hiệu"))})
        if answer.status_code != 302:
            raise RuntimeError(f"the address step answered {answer.status_code}")
        page = client.get(reverse("checkout:shipping-method"))
        if page.status_code == 200:  # (no response.context here: the test environment's template hooks are off)
            _ok(client.post(reverse("checkout:shipping-method"), {"method_code": form_inputs(page)["method_code"]}))
        _ok(client.post(reverse("checkout:payment-method"), {"method": "cod"}))

    def stock_save(self):
        """The stock page's first 50 rows posted back with one price changed (a new price each time)."""
        from urllib.parse import urlencode

        from django.urls import reverse

        url = reverse("dashboard:producer-stock")
        if not hasattr(self, "_stock_post"):
            self._stock_post = form_inputs(self.producer.get(url))
            self._stock_post.pop("csrfmiddlewaretoken", None)
        self._stock_post["form-0-price"] = int(self._stock_post["form-0-price"]) + 1
        # As a browser posts the page's form (no enctype: urlencoded). The test client's default,
        # multipart, cost the bench ~10 ms a save that no producer's request costs.
        return self.producer.post(url, urlencode(self._stock_post), content_type="application/x-www-form-urlencoded")

    def pages(self):
        from django.urls import reverse

        s, p, o = self.shopper, self.producer, self.office
        last_stock_page = -(-self.producer_products // 50)
        order = {"number": self.big_order.number}
        return [
            ("basket (10 lines)", lambda: s.get(reverse("basket:summary"))),
            ("checkout: address", lambda: s.get(reverse("checkout:shipping-address"))),
            ("checkout: shipping method", lambda: s.get(reverse("checkout:shipping-method"))),
            ("checkout: payment", lambda: s.get(reverse("checkout:payment-method"))),
            ("checkout: preview", lambda: s.get(reverse("checkout:preview"))),
            ("account: orders (20)", lambda: s.get(reverse("customer:order-list"))),
            ("account: one order (10 lines)", lambda: s.get(reverse("customer:order",
                                                                    kwargs={"order_number": order["number"]}))),
            ("producer: home", lambda: p.get(reverse("dashboard:producer-home"))),
            ("producer: orders (30)", lambda: p.get(reverse("dashboard:producer-orders"))),
            ("producer: one order (10 lines)", lambda: p.get(reverse("dashboard:producer-order", kwargs=order))),
            ("producer: stock, page 1", lambda: p.get(reverse("dashboard:producer-stock"))),
            (f"producer: stock, page {last_stock_page}",
             lambda: p.get(reverse("dashboard:producer-stock") + f"?page={last_stock_page}")),
            ("producer: stock save (50 rows)", self.stock_save),
            ("office: orders", lambda: o.get(reverse("dashboard:order-list"))),
            ("office: one order (10 lines)", lambda: o.get(reverse("dashboard:order-detail", kwargs=order))),
        ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Signed-in pages: server time and queries.")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "5")))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", default="", help="with --child: cProfile the pages whose name has this text")
    parser.add_argument("--only", default="", help="with --child: time only the pages whose name has this text")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.seconds, args.profile, only=args.only)))
        return 0
    if not os.environ.get("DATABASE_URL"):
        print("signed-in bench: set DATABASE_URL (a seeded database; nothing is left written in it)")
        return 1
    with tempfile.TemporaryDirectory(prefix="ocop-bench-signed-in-") as tmp:
        env = shops.ours_env(Path(tmp), os.environ["DATABASE_URL"], redis_url=os.environ.get("REDIS_URL", ""))
        problem = measure(env=env, seconds=args.seconds)
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())

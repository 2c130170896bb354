"""`make loadtest`, the data: what the run starts from (seed and snapshot) and what it must end with
(the checks). Both run as child processes of bench/loadtest.py in the load run's environment:

    python bench/loadtest_world.py --seed world.json --contested-stock 20
    python bench/loadtest_world.py --check world.json --client client.json --drain 30

The seed adds, on top of the Sơn La demo: two load-test producers, each with a producer-portal
user, two *contested* products (little stock, which every shopper may buy: overselling would show
if locking were wrong), three ample products and one *dedicated* product whose stock only its
producer edits; and a showroom with its own shelf of two products and one cashier. Then it writes
the product links, sign-ins and every stock record's starting levels to world.json.

The checks read the database after the run (and, for the producers' stock edits and the client's
tallies, client.json written by the locust users). They print one line each and the process exits
1 when any fails.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

PRODUCERS = 2
PRODUCER_PASSWORD = "load-producer-2026"  # noqa: S105  (a throwaway database, made and dropped by the run)
CASHIER_EMAIL, CASHIER_PASSWORD = "thungan.load@ocop.load", "load-cashier-2026"
SHELF_UNITS = 5000
PRICES = (150000, 95000, 240000)  # whole đồng; standard shipping stays paid below the free threshold


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    django.setup()


# ---------------------------------------------------------------------------- seed
def seed(contested_stock: int) -> dict:
    _setup()
    from django.core.cache import cache
    from oscar.core.loading import get_model

    from bench import seed as make
    from catalog_ext.cache import VERSION_KEY
    from core.places import ward_code
    from pos import stock
    from shop.celery import app
    from showrooms.models import Showroom, ShowroomStaff

    StockRecord = get_model("partner", "StockRecord")
    kind = make.product_class("ocop")  # the demo's goods class: shipped, weighed, stock tracked
    world = {"producers": [], "contested": [], "ample": [], "dedicated": {}, "shelf": []}
    partners = []
    for n in range(1, PRODUCERS + 1):
        email = f"load.producer{n}@ocop.load"
        partner = make.producer(f"load-htx-{n}", f"HTX Tải thử {n}", users=[make.producer_user(email, PRODUCER_PASSWORD)])
        partners.append(partner)
        world["producers"].append({"code": partner.code, "email": email, "password": PRODUCER_PASSWORD})
        for i in range(2):
            product = make.stocked_product(partner, title=f"Chè Shan tuyết tải thử {n}.{i}", sku=f"LOAD-C{n}{i}",
                                           upc=f"89399{n}{i}0000000"[:13], stock=contested_stock, kind=kind,
                                           price=PRICES[i], low_stock_threshold=max(1, contested_stock // 4))
            world["contested"].append(_buyable(product))
        for i in range(3):
            product = make.stocked_product(partner, title=f"Cà phê Arabica tải thử {n}.{i}", sku=f"LOAD-A{n}{i}",
                                           upc=f"89398{n}{i}0000000"[:13], stock=1_000_000, kind=kind, price=PRICES[i])
            world["ample"].append(_buyable(product))
        dedicated = make.stocked_product(partner, title=f"Mật ong tải thử {n}", sku=f"LOAD-D{n}", stock=100,
                                         kind=kind, upc=f"89397{n}00000000"[:13])
        world["dedicated"][partner.code] = dedicated.stockrecords.get().pk
    # The counter's shelf: two ample products of producer 1, moved by transfer as a manager would.
    showroom = Showroom.objects.create(name="Điểm OCOP Tải thử", slug="load-showroom", ward_code=ward_code("Phường Tô Hiệu"),
                                       street="Số 1 Tô Hiệu")
    Product = get_model("catalogue", "Product")
    shelf_products = [Product.objects.get(pk=x["id"]) for x in world["ample"][:2]]
    stock.transfer(producer=partners[0], showroom=showroom, items=[stock.Item(p, SHELF_UNITS) for p in shelf_products],
                   notify_producer=False)
    world["shelf"] = [p.upc for p in shelf_products]
    cashier = make.producer_user(CASHIER_EMAIL, CASHIER_PASSWORD)
    cashier.user_permissions.clear()  # a cashier, not a producer: the counter needs only the staff row
    ShowroomStaff.objects.create(showroom=showroom, user=cashier, role=ShowroomStaff.CASHIER)
    world["cashier"] = {"email": CASHIER_EMAIL, "password": CASHIER_PASSWORD}
    world["address"] = {"province": "14", "ward": str(ward_code("Phường Tô Hiệu"))}
    # Where the run starts from: every record's levels, and the last row of each table the run adds to.
    world["initial"] = {str(r["pk"]): [r["num_in_stock"], r["num_allocated"] or 0]
                        for r in StockRecord.objects.values("pk", "num_in_stock", "num_allocated")}
    world["after"] = _high_water()
    # A fresh database, but the broker and the cache may hold an earlier run's tasks and pages.
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    cache.delete(VERSION_KEY)  # restarts from the clock: no key of an earlier run is built again
    return world


def _buyable(product) -> dict:
    return {"id": product.pk, "url": product.get_absolute_url(), "title": product.title}


def _high_water() -> dict:
    from django.db.models import Max
    from oscar.core.loading import get_model

    from notifications.models import Notification

    return {"order": get_model("order", "Order").objects.aggregate(m=Max("pk"))["m"] or 0,
            "notification": Notification.objects.aggregate(m=Max("pk"))["m"] or 0,
            "movement": get_model("partner", "StockMovement").objects.aggregate(m=Max("pk"))["m"] or 0}


# ---------------------------------------------------------------------------- checks
class Checks:
    def __init__(self):
        self.lines: list[str] = []
        self.failed = 0

    def check(self, ok: bool, text: str) -> bool:
        self.lines.append(f"{'PASS' if ok else 'FAIL'}  {text}")
        self.failed += not ok
        return ok

    def note(self, text: str) -> None:
        self.lines.append(f"      {text}")


def check(world: dict, client: dict, drain: float) -> Checks:
    _setup()
    from django.db.models import Count
    from oscar.core.loading import get_model

    from notifications.models import Kind, Notification, Status
    from pos.models import PosReturnLine, PosSale

    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    StockRecord = get_model("partner", "StockRecord")
    out = Checks()
    after = world["after"]

    # 1. Nothing oversold, online or on a shelf.
    bad = [r for r in StockRecord.objects.exclude(num_in_stock=None)
           if r.num_in_stock < 0 or (r.num_allocated or 0) < 0 or (r.num_allocated or 0) > r.num_in_stock]
    records = StockRecord.objects.count()
    out.check(not bad, f"no unit oversold: 0 <= allocated <= in stock for all {records} stock records"
              + (f"; broken: {_records(bad)}" if bad else ""))

    orders = Order.objects.filter(pk__gt=after["order"])
    pos_ids = set(PosSale.objects.filter(order__in=orders).values_list("order_id", flat=True))
    online = orders.exclude(pk__in=pos_ids)
    live = online.exclude(status="Cancelled")
    out.note(f"orders placed during the run: {online.count()} online (COD), {len(pos_ids)} at the counter; "
             f"the shoppers saw {client.get('orders_placed', 0)} thank-you pages, the cashier {client.get('sales', 0)} sales")

    # A run in which some kind of user got nothing done would pass the checks below vacuously.
    done = {"online orders": online.count(), "counter sales": len(pos_ids), "producer edits": client.get("edits", 0),
            "producer shipments": client.get("ships", 0)}
    out.check(all(done.values()), "every kind of user got something done: "
              + ", ".join(f"{count} {what}" for what, count in done.items()))

    # 2. Every online order has one new-order notification per producer with lines in it.
    wanted = defaultdict(set)
    for order_id, partner_id in (Line.objects.filter(order__in=online, partner__showroom__isnull=True)
                                 .values_list("order_id", "partner_id")):
        wanted[order_id].add(partner_id)
    have = defaultdict(set)
    for order_id, partner_id in Notification.objects.filter(order__in=online, kind=Kind.NEW_ORDER) \
            .values_list("order_id", "partner_id"):
        have[order_id].add(partner_id)
    missing = [o for o in wanted if wanted[o] != have.get(o, set())]
    expected = sum(len(v) for v in wanted.values())
    out.check(not missing, f"every online order has its producer notifications: {expected} expected for "
              f"{len(wanted)} orders" + (f"; wrong for orders {missing[:10]}" if missing else ""))

    # 3. With a worker running they are delivered (waiting up to `drain` seconds for the last ones).
    notifications = Notification.objects.filter(pk__gt=after["notification"])
    deadline = time.monotonic() + drain
    while notifications.filter(status=Status.PENDING).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    by_status = dict(notifications.values_list("status").annotate(n=Count("pk")))
    pending, sent = by_status.get(Status.PENDING, 0), by_status.get(Status.SENT, 0)
    kinds = dict(notifications.values_list("kind").annotate(n=Count("pk")))
    out.check(pending == 0, f"producer notifications delivered by the worker: {sent} delivered, {pending} pending "
              f"(new orders {kinds.get(Kind.NEW_ORDER, 0)}, low stock {kinds.get(Kind.LOW_STOCK, 0)}; "
              f"waited up to {drain:g} s after the run)")

    # 4. The stock ledger: for every record, in stock = initial + received − handed over − counter sold
    #    + returned − written off, each term counted from what happened (order lines shipped, counter
    #    sales and returns), not from the counts; held = initial + online lines not yet handed over.
    #    "received" is what the ledger records as coming in other than through an order: the
    #    producers' edits of their dedicated product (its final count is checked against the last
    #    value they set) and transfers; no other record may have such a movement during the run.
    from shop.partner import stock as ledger

    Reason = ledger.Reason
    shipped_statuses = ("Shipped",)
    handed_over, held_online = defaultdict(int), defaultdict(int)
    for record_id, quantity, status in Line.objects.filter(order__in=live).values_list("stockrecord_id", "quantity",
                                                                                     "status"):
        (handed_over if status in shipped_statuses else held_online)[record_id] += quantity
    sold_counter = defaultdict(int)
    for record_id, quantity in Line.objects.filter(order_id__in=pos_ids).values_list("stockrecord_id", "quantity"):
        sold_counter[record_id] += quantity
    returned = defaultdict(int)
    for record_id, quantity in PosReturnLine.objects.filter(line__order_id__in=pos_ids) \
            .values_list("line__stockrecord_id", "quantity"):
        returned[record_id] += quantity
    run_moves = ledger.StockMovement.objects.filter(pk__gt=after.get("movement", 0))
    by_reason = defaultdict(lambda: defaultdict(int))
    for record_id, reason, delta in run_moves.values_list("stockrecord_id", "reason", "delta_in_stock"):
        by_reason[record_id][reason] += delta
    received_reasons = (Reason.PORTAL_EDIT, Reason.IMPORT, Reason.OFFICE_EDIT, Reason.STOCKTAKE, Reason.RECEIVED,
                        Reason.TRANSFER_IN, Reason.TRANSFER_OUT)
    dedicated = {int(pk): code for code, pk in world["dedicated"].items()}
    edits = {int(k): v for k, v in client.get("stock_edits", {}).items()}
    wrong, touched = [], 0
    for record in StockRecord.objects.order_by("pk"):
        in0, alloc0 = world["initial"].get(str(record.pk), (None, 0))
        if in0 is None:
            wrong.append(f"#{record.pk} appeared during the run")
            continue
        pk = record.pk
        received = sum(by_reason[pk][r] for r in received_reasons)
        written_off = -by_reason[pk][Reason.WRITTEN_OFF]
        if received and pk not in dedicated:
            wrong.append(f"#{pk} {record.partner_sku}: stock received or corrected ({received:+d}) though nobody may")
        want_in = in0 + received - handed_over[pk] - sold_counter[pk] + returned[pk] - written_off
        want_alloc = alloc0 + held_online[pk]
        if -by_reason[pk][Reason.HANDED_OVER] != handed_over[pk]:
            wrong.append(f"#{pk} {record.partner_sku}: ledger handed over {-by_reason[pk][Reason.HANDED_OVER]}, "
                         f"shipped lines {handed_over[pk]}")
        allowed_in = {want_in}
        if pk in dedicated and pk in edits:  # the producer set it: the last value that answered
            edit = edits[pk]
            allowed_in = {edit["last"]} if edit.get("last") is not None else {in0}
            allowed_in |= set(edit.get("unsure", []))  # a post that timed out may or may not have landed
        if handed_over[pk] or held_online[pk] or sold_counter[pk] or returned[pk] or pk in edits:
            touched += 1
        if record.num_in_stock != want_in or record.num_in_stock not in allowed_in \
                or (record.num_allocated or 0) != want_alloc:
            wrong.append(f"#{pk} {record.partner_sku}: in stock {record.num_in_stock} (want {want_in}, allowed "
                         f"{sorted(allowed_in)}), allocated {record.num_allocated or 0} (want {want_alloc})")
    out.check(not wrong, f"the stock ledger: in stock = initial + received − handed over − counter sold + returned "
              f"− written off, held = online lines not yet handed over, for every record ({touched} touched)"
              + (f"; wrong: {'; '.join(wrong[:6])}" if wrong else ""))
    out.note(f"online {sum(handed_over.values()) + sum(held_online.values())} units ordered, "
             f"{sum(handed_over.values())} handed over to carriers by the producers ({client.get('ships', 0)} "
             f"shipments); at the counter {sum(sold_counter.values())} sold, {sum(returned.values())} returned; "
             f"producers' stock edits {client.get('edits', 0)} (price and threshold of contested products, stock "
             f"of their dedicated product); {run_moves.count()} stock movements written")

    # 5. stock_audit: every record equals the sum of its movements (nothing wrote around the ledger).
    differences = ledger.audit()
    out.check(not differences, f"stock_audit: all {records} stock records equal the sums of their movements"
              + (f"; differ: {'; '.join(map(str, differences[:6]))}" if differences else ""))
    contested = StockRecord.objects.filter(partner_sku__startswith="LOAD-C")
    sold_out = sum(1 for r in contested if r.num_allocated == r.num_in_stock)
    out.note(f"contested products sold out: {sold_out} of {contested.count()}")
    return out


def _records(records) -> str:
    return ", ".join(f"#{r.pk} {r.partner_sku} {r.num_allocated}/{r.num_in_stock}" for r in records[:10])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Seed the load run, or check its data afterwards.")
    parser.add_argument("--seed", type=Path)
    parser.add_argument("--contested-stock", type=int, default=20)
    parser.add_argument("--check", type=Path)
    parser.add_argument("--client", type=Path)
    parser.add_argument("--drain", type=float, default=30)
    args = parser.parse_args(argv)
    if args.seed:
        args.seed.write_text(json.dumps(seed(args.contested_stock)))
        return 0
    world = json.loads(args.check.read_text())
    client = json.loads(args.client.read_text()) if args.client and args.client.exists() else {}
    result = check(world, client, args.drain)
    print("\n".join(result.lines), flush=True)
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())

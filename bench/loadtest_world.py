"""`make loadtest`, the data: what the run starts from (seed and snapshot) and what it must end with
(the checks). Both run as child processes of bench/loadtest.py in the load run's environment:

    python bench/loadtest_world.py --seed world.json --contested-stock 20
    python bench/loadtest_world.py --check world.json --client client.json --drain 30 [--full]

The seed adds, on top of the Sơn La demo: two load-test producers, each with a producer-portal
user, two *contested* products (little stock, which every shopper may buy: overselling would show
if locking were wrong), three ample products and one *dedicated* product whose stock only its
producer edits; a showroom with its own shelf of two products and one cashier (pick-up orders
are collected there); two members (shoppers with an account) and an office clerk; the load run's
ward mapped to the fake carriers' codes. Then it writes the product links, sign-ins and every
stock record's starting levels to world.json.

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
MEMBER_PASSWORD = "load-member-2026"  # noqa: S105
OFFICE_EMAIL, OFFICE_PASSWORD = "vanphong.load@ocop.load", "load-office-2026"
SHELF_UNITS = 5000
PRICES = (150000, 95000, 240000)  # whole đồng; standard shipping stays paid below the free threshold


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    django.setup()


# ---------------------------------------------------------------------------- seed
def seed(contested_stock: int) -> dict:
    _setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from oscar.core.loading import get_model

    from bench import seed as make
    from catalog_ext.cache import VERSION_KEY
    from core.places import ward_code
    from pos import stock
    from shop.celery import app
    from shop.staff_roles import office_group
    from showrooms.models import Showroom, ShowroomStaff

    StockRecord = get_model("partner", "StockRecord")
    kind = make.product_class("ocop")  # the demo's goods class: shipped, weighed, stock tracked
    world = {"producers": [], "contested": [], "ample": [], "dedicated": {}, "shelf": []}
    partners = []
    home = ward_code("Phường Tô Hiệu")
    for n in range(1, PRODUCERS + 1):
        email = f"load.producer{n}@ocop.load"
        partner = make.producer(f"load-htx-{n}", f"HTX Tải thử {n}", users=[make.producer_user(email, PRODUCER_PASSWORD)])
        partner.ward_code, partner.phone = home, f"091200000{n}"  # where the carrier picks the parcels up
        partner.save(update_fields=["ward_code", "phone"])
        partners.append(partner)
        world["producers"].append({"code": partner.code, "id": partner.pk, "email": email,
                                   "password": PRODUCER_PASSWORD})
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
    world["address"] = {"province": "14", "ward": str(home)}
    world["showroom"] = showroom.pk  # pick-up orders are collected here (its shelf holds two products)
    # Shoppers with an account (returns are asked for from "my orders") and an office clerk who answers them.
    world["members"] = [{"email": f"khach.thanhvien{n}@ocop.load", "password": MEMBER_PASSWORD} for n in (1, 2)]
    User = get_user_model()
    for member in world["members"]:
        User.objects.create_user(member["email"].split("@")[0], member["email"], member["password"],
                                 first_name="Thu Hà", last_name="Nguyễn")
    clerk = User.objects.create_user("vanphong.load", OFFICE_EMAIL, OFFICE_PASSWORD, is_staff=True)
    clerk.groups.add(office_group())  # the office's role, as the demo's office account has it
    world["office"] = {"email": OFFICE_EMAIL, "password": OFFICE_PASSWORD}
    _map_carrier_areas(home)
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
    return {"id": product.pk, "url": product.get_absolute_url(), "title": product.title,
            "producer": product.producer.code}


def _map_carrier_areas(*wards: int) -> None:
    """The carriers' codes for the load run's wards (as the office maps them: carriers/areas.py), in
    the fake carriers' master data (tests/carriers/fake_ghn.py: Tô Hiệu is district 2003, ward 280101)."""
    from carriers.models import CarrierArea
    from core.places import ward_name

    for ward in wards:
        CarrierArea.objects.update_or_create(carrier="ghn", ward_code=str(ward), defaults={
            "province_code": "14", "carrier_province": "14", "carrier_district": "2003", "carrier_ward": "280101"})
        CarrierArea.objects.update_or_create(carrier="ghtk", ward_code=str(ward), defaults={
            "province_code": "14", "carrier_province": "Sơn La", "carrier_district": "Thành phố Sơn La",
            "carrier_ward": ward_name(ward) or "Phường Tô Hiệu"})


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


def check(world: dict, client: dict, drain: float, full: bool = False) -> Checks:
    """Every check of the data after a run. `full`: a run long enough that every kind of user and
    every road after "Place order" must have done something (a short run only notes what did)."""
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
    from carriers.models import Shipment as _Shipment

    shipped = client.get("ships", 0) + _Shipment.objects.filter(order__in=online).exclude(waybill="").count()
    done = {"online orders": online.count(), "counter sales": len(pos_ids), "producer edits": client.get("edits", 0),
            "producer shipments": shipped}
    text = "every kind of user got something done: " + ", ".join(f"{count} {what}" for what, count in done.items())
    if full:
        out.check(all(done.values()), text)
    else:
        out.note(f"(a short run: not required) {text}")

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

    # 3b. Every online order's confirmation is an outbox row (written with the order), and delivered.
    from notifications.models import Message, MessageStatus

    confirmations = Message.objects.filter(order__in=online, event="ORDER_PLACED", channel="email")
    while confirmations.filter(status=MessageStatus.PENDING).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    without = online.exclude(messages__event="ORDER_PLACED").count()
    unsent = confirmations.exclude(status=MessageStatus.SENT).count()
    out.check(without == 0 and unsent == 0, f"every online order's confirmation is in the outbox and delivered: "
              f"{confirmations.count()} for {online.count()} orders, {without} missing, {unsent} not sent")

    # 4. The stock ledger: for every record, in stock = initial + received − handed over − counter sold
    #    + returned − written off, each term counted from what happened (order lines and their
    #    statuses, pick-up receipts, counter sales and returns, returns received), not from the counts;
    #    held = initial + online lines not yet handed over.
    #    handed over: a parcel's lines once shipped (then delivered, refused or back), a pick-up's once
    #      collected (a pick-up line brought to the showroom is "Shipped" but still held on its shelf);
    #    returned: refused parcels received back, returns received back, counter returns;
    #    received: units that came in other than through an order: the producers' edits of their
    #      dedicated product (checked against the last value they set) and the goods a producer brought
    #      to the showroom for a pick-up (out of their record, into the shelf's: each such movement must
    #      be one of a pick-up receipt); no other record may have such a movement during the run.
    from pickups.models import Receipt
    from shop.order import statuses
    from shop.partner import stock as ledger

    LineReturn = get_model("order", "LineReturn")
    Reason = ledger.Reason
    handed_over, held_online, returned_online = defaultdict(int), defaultdict(int), defaultdict(int)
    for record_id, quantity, status, pickup in Line.objects.filter(order__in=live).values_list(
            "stockrecord_id", "quantity", "status", "order__pickup_showroom_id"):
        gone = status == statuses.LINE_DELIVERED if pickup else status in statuses.LINE_HANDED_OVER
        (handed_over if gone else held_online)[record_id] += quantity
        if status == statuses.LINE_RECEIVED_BACK:
            returned_online[record_id] += quantity
    for record_id, back, off in LineReturn.objects.filter(order__in=online, status=LineReturn.RECEIVED) \
            .values_list("line__stockrecord_id", "restocked", "written_off"):
        returned_online[record_id] += back + off  # damaged units come in and are written off at once
    sold_counter = defaultdict(int)
    for record_id, quantity in Line.objects.filter(order_id__in=pos_ids).values_list("stockrecord_id", "quantity"):
        sold_counter[record_id] += quantity
    returned = defaultdict(int, returned_online)
    for record_id, quantity in PosReturnLine.objects.filter(line__order_id__in=pos_ids) \
            .values_list("line__stockrecord_id", "quantity"):
        returned[record_id] += quantity
    run_moves = ledger.StockMovement.objects.filter(pk__gt=after.get("movement", 0))
    by_reason = defaultdict(lambda: defaultdict(int))
    for record_id, reason, delta in run_moves.values_list("stockrecord_id", "reason", "delta_in_stock"):
        by_reason[record_id][reason] += delta
    receipts = dict(Receipt.objects.filter(line__order__in=online).values_list("line_id", "quantity"))
    brought = run_moves.filter(reason__in=(Reason.TRANSFER_IN, Reason.TRANSFER_OUT))
    unexplained = [m for m in brought.values("stockrecord_id", "order_line_id", "delta_in_stock")
                   if receipts.get(m["order_line_id"]) != abs(m["delta_in_stock"])]
    received_reasons = (Reason.PORTAL_EDIT, Reason.IMPORT, Reason.OFFICE_EDIT, Reason.STOCKTAKE, Reason.RECEIVED)
    dedicated = {int(pk): code for code, pk in world["dedicated"].items()}
    edits = {int(k): v for k, v in client.get("stock_edits", {}).items()}
    wrong, touched = [], 0
    wrong += [f"#{m['stockrecord_id']}: {m['delta_in_stock']:+d} moved between records without a pick-up receipt "
              f"(line {m['order_line_id']})" for m in unexplained]
    for record in StockRecord.objects.order_by("pk"):
        in0, alloc0 = world["initial"].get(str(record.pk), (None, 0))
        pk = record.pk
        brought_here = by_reason[pk][Reason.TRANSFER_IN] + by_reason[pk][Reason.TRANSFER_OUT]
        if in0 is None:
            if not brought_here:
                wrong.append(f"#{pk} appeared during the run")
                continue
            in0 = 0  # a showroom's shelf record made when a producer brought a product it never had
        edited = sum(by_reason[pk][r] for r in received_reasons)
        received = edited + brought_here
        written_off = -by_reason[pk][Reason.WRITTEN_OFF]
        if edited and pk not in dedicated:
            wrong.append(f"#{pk} {record.partner_sku}: stock received or corrected ({edited:+d}) though nobody may")
        want_in = in0 + received - handed_over[pk] - sold_counter[pk] + returned[pk] - written_off
        want_alloc = alloc0 + held_online[pk]
        if -by_reason[pk][Reason.HANDED_OVER] != handed_over[pk]:
            wrong.append(f"#{pk} {record.partner_sku}: ledger handed over {-by_reason[pk][Reason.HANDED_OVER]}, "
                         f"lines handed over {handed_over[pk]}")
        if by_reason[pk][Reason.RECEIVED_BACK] != returned_online[pk]:
            wrong.append(f"#{pk} {record.partner_sku}: ledger received back {by_reason[pk][Reason.RECEIVED_BACK]}, "
                         f"lines and returns received back {returned_online[pk]}")
        allowed_in = {want_in}
        if pk in dedicated and pk in edits:  # the producer set it: the last value that answered
            edit = edits[pk]
            allowed_in = {edit["last"]} if edit.get("last") is not None else {in0}
            allowed_in |= set(edit.get("unsure", []))  # a post that timed out may or may not have landed
        if handed_over[pk] or held_online[pk] or sold_counter[pk] or returned[pk] or received or pk in edits:
            touched += 1
        if record.num_in_stock != want_in or record.num_in_stock not in allowed_in \
                or (record.num_allocated or 0) != want_alloc:
            wrong.append(f"#{pk} {record.partner_sku}: in stock {record.num_in_stock} (want {want_in}, allowed "
                         f"{sorted(allowed_in)}), allocated {record.num_allocated or 0} (want {want_alloc})")
    out.check(not wrong, f"the stock ledger: in stock = initial + received − handed over − counter sold + returned "
              f"− written off, held = online lines not yet handed over, for every record ({touched} touched)"
              + (f"; wrong: {'; '.join(wrong[:6])}" if wrong else ""))
    out.note(f"online {sum(handed_over.values()) + sum(held_online.values())} units ordered, "
             f"{sum(handed_over.values())} handed over (to carriers, or collected at the showroom), "
             f"{sum(returned_online.values())} back (refused parcels and returns); at the counter "
             f"{sum(sold_counter.values())} sold, {sum(returned.values()) - sum(returned_online.values())} returned; "
             f"{sum(receipts.values())} units brought to the showroom for pick-ups; producers' stock edits "
             f"{client.get('edits', 0)} (price and threshold of contested products, stock of their dedicated "
             f"product); {run_moves.count()} stock movements written")

    # 5. stock_audit: every record equals the sum of its movements (nothing wrote around the ledger).
    differences = ledger.audit()
    out.check(not differences, f"stock_audit: all {records} stock records equal the sums of their movements"
              + (f"; differ: {'; '.join(map(str, differences[:6]))}" if differences else ""))
    contested = StockRecord.objects.filter(partner_sku__startswith="LOAD-C")
    sold_out = sum(1 for r in contested if r.num_allocated == r.num_in_stock)
    out.note(f"contested products sold out: {sold_out} of {contested.count()}")

    # 6. Vietnam's rails (carriers/, banking/): the cash a carrier collected is recorded for every
    #    delivered COD parcel and order, and no transfer is lost between "matched" and the office's list.
    from banking.models import BankTransfer
    from carriers.models import Shipment
    from shop.order import services as order_services
    from shop.payment.models import OrderPayment

    PaymentEvent = get_model("order", "PaymentEvent")
    parcels = Shipment.objects.filter(order__in=online)
    delivered = parcels.filter(status="delivered", cod_amount__gt=0)
    cod_events = dict(PaymentEvent.objects.filter(reference__startswith="COD-").values_list("reference", "amount"))
    uncollected = [s.waybill for s in delivered if cod_events.get(f"COD-{s.waybill}") != s.cod_amount]
    cod_delivered = Order.objects.filter(pk__in=OrderPayment.objects.filter(method="cod").values("order_id"),
                                         status="Delivered").prefetch_related("lines", "sources")
    # Collected: what the shopper paid in (refunds of later returns aside) covers what they owed.
    unpaid = [o.number for o in cod_delivered
              if sum(s.amount_debited for s in o.sources.all()) < order_services.amount_due(o)]
    collected = sum(cod_events.get(f"COD-{s.waybill}", 0) for s in delivered)
    out.check(not uncollected and not unpaid, f"every delivered COD order has its collection recorded: "
              f"{delivered.count()} parcels delivered with {_dong(collected)} collected, {len(cod_delivered)} COD "
              f"orders delivered and paid" + (f"; no or wrong collection for parcels {uncollected[:10]}"
                                               if uncollected else "")
              + (f"; delivered but unpaid: {unpaid[:10]}" if unpaid else ""))
    by_parcel = dict(parcels.values_list("status").annotate(n=Count("pk")))
    out.note(f"parcels: {parcels.count()} waybills with the carrier ({', '.join(f'{n} {s}' for s, n in sorted(by_parcel.items()))}); "
             f"the carrier posted {client.get('webhooks', 0)} status webhooks, {client.get('webhook_replays', 0)} "
             f"of them twice")
    transfers = BankTransfer.objects.all()
    paid_refs = set(PaymentEvent.objects.filter(reference__startswith="sepay-").values_list("reference", flat=True))
    counter_orders = set(PosSale.objects.values_list("order_id", flat=True))  # claimed by a counter sale
    lost = []
    for t in transfers:
        if t.status == BankTransfer.UNMATCHED and not t.reason:
            lost.append(t.transaction_id)  # on the office's list without saying why
        elif (t.status == BankTransfer.MATCHED and t.order_id not in counter_orders
              and t.payment_reference not in paid_refs):
            lost.append(t.transaction_id)  # "matched" but no payment recorded for it
        elif t.status not in (BankTransfer.MATCHED, BankTransfer.UNMATCHED, BankTransfer.RESOLVED,
                              BankTransfer.IGNORED):
            lost.append(t.transaction_id)
    by_status = dict(transfers.values_list("status").annotate(n=Count("pk")))
    reasons = dict(transfers.filter(status=BankTransfer.UNMATCHED).values_list("reason").annotate(n=Count("pk")))
    awaiting = online.filter(status="Awaiting transfer").count()
    out.check(not lost, f"every bank transfer is matched or listed as unmatched with its reason: "
              f"{by_status.get(BankTransfer.MATCHED, 0)} matched, {by_status.get(BankTransfer.UNMATCHED, 0)} unmatched "
              f"({', '.join(f'{n} {r}' for r, n in sorted(reasons.items())) or 'none'})"
              + (f"; not accounted for: {lost[:10]}" if lost else ""))
    out.note(f"VietQR: {client.get('vietqr_orders', 0)} orders placed, {awaiting} still awaiting their transfer; "
             f"SePay sent {client.get('transfer_replays', 0)} notifications twice (recorded once)")

    # 7. After "Place order": every road an order can take was taken (required in a full run: a short
    #    one may end before a parcel comes back).
    from pickups.models import Pickup, State

    pickups = dict(Pickup.objects.filter(order__in=online).values_list("state").annotate(n=Count("pk")))
    line_returns = dict(LineReturn.objects.filter(order__in=online).values_list("status").annotate(n=Count("pk")))
    refused = Line.objects.filter(order__in=online, status__in=(statuses.LINE_REFUSED,
                                                               statuses.LINE_RECEIVED_BACK)).count()
    roads = {"waybills": parcels.count(), "COD parcels delivered": delivered.count(),
             "parcels refused": refused,
             "refused lines received back": Line.objects.filter(order__in=online,
                                                                status=statuses.LINE_RECEIVED_BACK).count(),
             "transfers matched": by_status.get(BankTransfer.MATCHED, 0),
             "transfers unmatched": by_status.get(BankTransfer.UNMATCHED, 0),
             "pick-ups collected": pickups.get(State.COLLECTED, 0),
             "returns received back": line_returns.get(LineReturn.RECEIVED, 0)}
    text = ("after “Place order”: " + ", ".join(f"{n} {what}" for what, n in roads.items())
            + f"; pick-ups {dict(sorted(pickups.items()))}, returns {dict(sorted(line_returns.items()))}")
    if full:
        out.check(all(roads.values()), f"every road was taken {text}")
    else:
        out.note(f"(a short run: not required) {text}")
    _check_ledger(out)
    return out


def _check_ledger(out: Checks) -> None:
    """5. Producers' money: every balance = net of delivered and counter-sold lines − commission −
    returns and refunds − payouts, recomputed here from the orders, and ledger_audit passes."""
    from collections import defaultdict

    from django.db.models import Sum
    from django.utils import timezone

    from pos.models import PosReturnLine, PosSale
    from settlement import audit, commission, services
    from settlement.models import Entry, Kind, Payout

    want = defaultdict(int)
    lines = 0
    for line in audit.delivered_lines().select_related("product", "order"):
        producer = services.producer_id_of(line)
        sold = Entry.objects.filter(key=f"online:line:{line.pk}:sale").first()
        if producer is None:
            continue
        gross = services.whole_dong(line.line_price_incl_tax * (sold.quantity if sold else line.quantity) / line.quantity)
        on = timezone.localdate(sold.occurred_at if sold else line.order.date_placed)
        rate = commission.rate_for(producer_id=producer, channel="online", showroom_id=None, on=on)
        want[producer] += gross - commission.share(gross, rate)
        lines += 1
    for sale in PosSale.objects.select_related("order").prefetch_related("order__lines__product"):
        for line in sale.order.lines.all():
            producer = services.producer_id_of(line)
            if producer is None:
                continue
            gross = services.counter_line_gross(sale.order, line)
            rate = commission.rate_for(producer_id=producer, channel="counter", showroom_id=sale.showroom_id,
                                       on=timezone.localdate(sale.created_at))
            want[producer] += gross - commission.share(gross, rate)
            lines += 1
    for row in PosReturnLine.objects.select_related("line__product", "pos_return__sale"):
        producer = services.producer_id_of(row.line)
        if producer is None:
            continue
        sale = row.pos_return.sale
        rate = commission.rate_for(producer_id=producer, channel="counter", showroom_id=sale.showroom_id,
                                   on=timezone.localdate(sale.created_at))
        amount = services.whole_dong(row.amount)
        want[producer] -= amount - commission.share(amount, rate)
    for entry in Entry.objects.filter(event__startswith="refund:", kind__in=[Kind.RETURN, Kind.COMMISSION_BACK,
                                                                           Kind.PAYMENT_FEE_BACK]):
        want[entry.producer_id] += int(entry.amount)  # online refunds: checked against Oscar's by ledger_audit
    for producer, amount in Payout.objects.filter(status=Payout.PAID).values_list("producer_id", "amount"):
        want[producer] -= int(amount)
    have = dict(Entry.objects.values_list("producer_id").annotate(s=Sum("amount")))
    wrong = [f"producer {pk}: ledger {int(have.get(pk) or 0)}, recomputed {want.get(pk, 0)}"
             for pk in sorted(set(want) | set(have)) if int(have.get(pk) or 0) != want.get(pk, 0)]
    out.check(not wrong, f"ledger balance = net of delivered and counter-sold lines − commission − returns − payouts "
              f"for every producer ({len(set(want) | set(have))} producers, {lines} lines)"
              + (f"; wrong: {'; '.join(wrong[:6])}" if wrong else ""))
    result = audit.run()
    out.check(result.ok, f"ledger_audit passes: {result.rows} rows, {len(result.problems)} differences"
              + (f"; {'; '.join(result.problems[:4])}" if result.problems else ""))


def _dong(amount) -> str:
    return f"{int(amount or 0):,}".replace(",", ".") + " ₫"


def _records(records) -> str:
    return ", ".join(f"#{r.pk} {r.partner_sku} {r.num_allocated}/{r.num_in_stock}" for r in records[:10])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Seed the load run, or check its data afterwards.")
    parser.add_argument("--seed", type=Path)
    parser.add_argument("--contested-stock", type=int, default=20)
    parser.add_argument("--check", type=Path)
    parser.add_argument("--client", type=Path)
    parser.add_argument("--drain", type=float, default=30)
    parser.add_argument("--full", action="store_true",
                        help="fail unless every kind of user did something and waybills, deliveries, refusals, "
                             "transfers, pick-ups and returns all happened")
    args = parser.parse_args(argv)
    if args.seed:
        args.seed.write_text(json.dumps(seed(args.contested_stock)))
        return 0
    world = json.loads(args.check.read_text())
    client = json.loads(args.client.read_text()) if args.client and args.client.exists() else {}
    result = check(world, client, args.drain, full=args.full)
    print("\n".join(result.lines), flush=True)
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())

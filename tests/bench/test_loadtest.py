"""`make loadtest`: the whole run for a few seconds against PostgreSQL, Redis and a real worker (its
report and its checks), and the checks themselves catching a wrong stock level and a missing
producer notification."""
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from oscar.core.loading import get_model

from bench import loadtest, loadtest_world
from notifications.models import Notification
from tests.checkout.stock.factories import basket_of, make_product, place, stockrecord

ROOT = Path(__file__).resolve().parents[2]
StockRecord = get_model("partner", "StockRecord")


@pytest.mark.loadrun
@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.redis
def test_a_short_load_run_passes_its_checks_and_reports_every_action(redis_url):
    """A few seconds of every kind of user, the fake carrier and SePay's webhooks included: the run
    starts and stops everything, prints its table and passes the data checks (a short run notes what
    the users got done; test_the_checks_count_every_road… below proves the checks count each road)."""
    from django.conf import settings

    server = settings.DATABASES["default"]
    # Its own database (not the suite's, not a developer's `make loadtest`), dropped at the end.
    name = os.environ.get("LOADTEST_PYTEST_DATABASE", "ocop_load_pytest")
    url = f"postgres://{server['USER']}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{name}"
    env = {**os.environ, "LOADTEST_DATABASE_URL": url, "REDIS_URL": redis_url, "WEB_CONCURRENCY": "2"}
    env.pop("LOADTEST_KEEP", None)
    done = subprocess.run([sys.executable, "bench/loadtest.py", "--seconds", "8", "--users", "9",
                           "--contested-stock", "3"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    report = done.stdout
    assert done.returncode == 0, report + done.stderr
    assert "fake GHN on http://127.0.0.1:" in report.splitlines()[0]
    # Every kind of user started (each signs in first; a guest opens a page): on a busy machine a few
    # seconds may get no further, which is why the run's own "got something done" is only noted here.
    for who in ("producer: sign-in page", "member: sign-in page", "office: sign-in page", "pos: sign-in page"):
        assert f"\n{who} " in report, f"no row for {who!r}:\n{report}"
    assert "\nhome " in report or "\nproduct page " in report, report
    assert "| requests | failed |  req/s | p50 ms | p95 ms | p99 ms" in report
    assert "\nall requests " in report
    for line in ("PASS  no request failed", "PASS  no unit oversold",
                 "PASS  every online order has its producer notifications",
                 "PASS  producer notifications delivered by the worker", "PASS  the stock ledger: in stock = initial",
                 "PASS  stock_audit: all", "PASS  every delivered COD order has its collection recorded",
                 "PASS  every bank transfer is matched or listed as unmatched", "PASS  ledger_audit passes",
                 "(a short run: not required) every kind of user got something done",
                 "(a short run: not required) after “Place order”"):
        assert line in report, report
    assert "FAIL" not in report
    assert report.rstrip().splitlines()[-2] == "loadtest: every check passed"


def test_without_postgresql_and_redis_it_says_why_in_one_line(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    monkeypatch.delenv("LOADTEST_DATABASE_URL", raising=False)
    assert loadtest.services() == (None, "needs DATABASE_URL=postgres://… (its server gets the ocop_load database) "
                                         "and REDIS_URL=redis://…")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("LOADTEST_REDIS_URL", raising=False)
    found, why = loadtest.services()
    assert found is None and "REDIS_URL" in why


def test_the_load_database_is_ocop_load_on_the_same_server_and_never_another_name(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@db.example:5433/ocop")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/5")
    monkeypatch.delenv("LOADTEST_DATABASE_URL", raising=False)
    monkeypatch.delenv("LOADTEST_REDIS_URL", raising=False)
    assert loadtest.services() == (("postgres://postgres@db.example:5433/ocop_load", "redis://127.0.0.1:6379/5"), "")
    monkeypatch.setenv("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop")
    found, why = loadtest.services()
    assert found is None and "ocop_load" in why


def test_the_table_has_a_row_per_action_totals_without_outcomes_and_lists_outcomes_apart():
    def row(kind, name, n, failed=0, p50="120", p95="300", p99="450", rps="2.0"):
        return {"Type": kind, "Name": name, "Request Count": str(n), "Failure Count": str(failed), "Requests/s": rps,
                "50%": p50, "95%": p95, "99%": p99}

    rows = [row("POST", "checkout: place order", 40, failed=1), row("GET", "home", 60),
            row("OUTCOME", "sold out (refused at place order)", 7, p50="0", p95="0", p99="0"),
            row("", "Aggregated", 107, failed=1, rps="10.7")]

    lines = loadtest.format_table(rows, seconds=10)

    assert lines[0].split("|")[1:] == [" requests ", " failed ", "  req/s ", " p50 ms ", " p95 ms ", " p99 ms"]
    assert lines[2].startswith("checkout: place order") and lines[2].split("|")[1:3] == ["       40 ", "      1 "]
    assert lines[3].startswith("home ")
    total = next(line for line in lines if line.startswith("all requests"))
    assert total.split("|")[1].strip() == "100" and total.split("|")[3].strip() == "10.0"  # 7 outcomes left out
    assert lines[-1] == "  sold out (refused at place order): 7"
    assert len({line.index("|") for line in lines if "|" in line}) == 1


def _world(after_order=0, after_notification=0):
    last_movement = get_model("partner", "StockMovement").objects.order_by("-pk").values_list("pk", flat=True).first()
    return {"initial": {str(r.pk): [r.num_in_stock, r.num_allocated or 0] for r in StockRecord.objects.all()},
            "after": {"order": after_order, "notification": after_notification, "movement": last_movement or 0},
            "dedicated": {}}


@pytest.mark.django_db
def test_the_checks_pass_on_orders_that_allocated_their_units_one_handed_over_and_have_their_notifications():
    from producer_portal import fulfilment

    tea = make_product(title="Chè Shan tuyết tải thử", stock=5)
    world = _world(after_order=get_model("order", "Order").objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
                   after_notification=Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
    place(basket_of((tea, 1)))
    shipped = place(basket_of((tea, 2)))
    fulfilment.mark_shipped(order=shipped, partner=shipped.lines.get().partner, carrier="Viettel Post")

    result = loadtest_world.check(world, {}, drain=0, full=True)

    assert "PASS  no unit oversold" in result.lines[0]
    assert any(line.startswith("FAIL  every kind of user got something done: 2 online orders, 0 counter sales, "
                               "0 producer edits") for line in result.lines), result.lines
    assert any(line.startswith("PASS  every online order has its producer notifications: 2 expected for 2 orders")
               for line in result.lines), result.lines
    assert any(line.startswith("PASS  the stock ledger: in stock = initial + received − handed over") for line in
               result.lines), result.lines
    assert any(line.startswith("PASS  stock_audit") for line in result.lines), result.lines
    assert "3 units ordered, 2 handed over (to carriers, or collected at the showroom)" in "\n".join(result.lines)


@pytest.mark.django_db
def test_the_checks_fail_on_a_lost_allocation_and_on_a_missing_notification():
    tea = make_product(title="Chè Shan tuyết tải thử", stock=5)
    world = _world()
    order = place(basket_of((tea, 2)))
    StockRecord.objects.filter(pk=stockrecord(tea).pk).update(num_allocated=1)  # one allocation lost
    Notification.objects.filter(order=order).delete()

    result = loadtest_world.check(world, {}, drain=0)

    stock_line = next(line for line in result.lines if "the stock ledger" in line)
    assert stock_line.startswith("FAIL") and (f"{stockrecord(tea).partner_sku}: in stock 5 (want 5, allowed [5]), "
                                              "allocated 1 (want 2)") in stock_line
    audit_line = next(line for line in result.lines if "stock_audit" in line)
    assert audit_line.startswith("FAIL") and "allocated 1 (ledger 2)" in audit_line
    notified = next(line for line in result.lines if "producer notifications:" in line)
    assert notified.startswith("FAIL") and str(order.pk) in notified
    assert result.failed >= 2


def test_the_load_database_name_is_checked_before_anything_is_dropped():
    from bench import shops

    url = urlunsplit(urlsplit("postgres://postgres@127.0.0.1:5432/x")._replace(path="/ocop"))
    with pytest.raises(shops.StepFailed, match="must name a database starting with ocop_load"):
        shops.recreate_postgres(url, prefix="ocop_load", variable="LOADTEST_DATABASE_URL")


def test_server_errors_name_each_exception_once_with_its_count_and_our_frame(tmp_path):
    log = tmp_path / "gunicorn.log"
    trace = ("2026-12-03 ERROR django.request Internal Server Error: /basket/add/7/\n"
             "Traceback (most recent call last):\n"
             '  File "/x/.venv/lib/python3.11/site-packages/django/core/handlers/exception.py", line 55, in inner\n'
             "    response = get_response(request)\n"
             '  File "/x/shop/basket/views.py", line 12, in post\n'
             "    line.save()\n"
             "django.db.utils.IntegrityError: duplicate key value violates unique constraint\n")
    log.write_text("[INFO] Booting worker\n" + trace + trace)

    lines = loadtest.server_errors(log)

    assert lines == ["server errors in gunicorn.log:",
                     "  2 × django.db.utils.IntegrityError: duplicate key value violates unique constraint\n"
                     '      at File "/x/shop/basket/views.py", line 12, in post']
    assert loadtest.server_errors(tmp_path / "missing.log") == []


def _parcel(order, status_after, waybill):
    """The producer's waybill for `order` (one producer), carried to `status_after` by the carrier's
    confirmed statuses, as the webhooks take them in (carriers/shipments.record_tracking)."""
    from carriers import shipments
    from carriers.base import CarrierStatus, Tracking
    from carriers.models import Shipment

    lines = list(order.lines.order_by("pk"))
    partner = lines[0].partner
    shipment = Shipment.objects.create(order=order, partner=partner, carrier="ghn", waybill=waybill,
                                       status=CarrierStatus.READY, line_ids=[line.pk for line in lines],
                                       cod_amount=shipments.cod_for(order, partner, lines))
    for n, status in enumerate((CarrierStatus.PICKED_UP, status_after)):
        shipments.record_tracking(shipment_id=shipment.pk, source="webhook", tracking=Tracking(
            code=waybill, status=status, carrier_status=status, occurred_at=f"2026-12-06T0{n}:00:00Z",
            cod_amount=None))
    return shipment


def _sepay(settings, content, amount):
    import json

    from banking import sepay, services
    from tests.banking import fake_sepay

    settings.VIETQR_ACCOUNT_NUMBER = fake_sepay.ACCOUNT
    body = json.dumps(fake_sepay.transaction(content=content, amount=int(amount))).encode()
    return services.receive(sepay.parse(body), provider=sepay.PROVIDER)[0]


@pytest.mark.django_db
def test_the_checks_count_every_road_after_place_order_and_fail_on_a_lost_cod_collection(settings):
    """A COD parcel delivered (cash collected) and a unit of it returned, a parcel refused and received
    back, a VietQR order paid by a matched transfer, a transfer naming no order, a pick-up collected:
    a full check sees each and passes; the delivered parcel's collection deleted, it fails."""
    from django.contrib.auth import get_user_model

    from pickups import services as pickups
    from shop.order import lifecycle
    from shop.order import services as order_services
    from tests.banking.conftest import transfer_order
    from tests.carriers.orders import delivery_order
    from tests.pickup.world import place_pickup
    from tests.pos.factories import make_producer, make_product, make_showroom, stock_shelf

    Order = get_model("order", "Order")
    PaymentEvent = get_model("order", "PaymentEvent")
    clerk = get_user_model().objects.create_user("vanphong-check", "vanphong.check@example.vn", "x", is_staff=True)
    showroom = make_showroom()
    honey = make_product(make_producer(), title="Mật ong hoa bạc hà")
    stock_shelf(showroom, honey, 5)
    world = _world(after_order=Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
                   after_notification=Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)

    kept = delivery_order(lines=(("CF-001", 2),))
    delivered = _parcel(kept, "delivered", "GHNCHECK1")
    line_return = lifecycle.request_return(line=kept.lines.get(), quantity=1, reason="Hộp bị móp")
    lifecycle.accept_return(line_return=line_return, actor=clerk, refund_reference="HOAN-1")
    lifecycle.receive_return(line_return=line_return, actor=clerk)
    refused = delivery_order(lines=(("CF-001", 1),))
    _parcel(refused, "returned", "GHNCHECK2")
    lifecycle.receive_back(order=refused)
    paid = transfer_order(lines=(("CF-001", 1),))
    assert _sepay(settings, f"MBVCB.8301.{paid.number}.CHUYEN TIEN", paid.total_incl_tax).status == "matched"
    assert _sepay(settings, "IBFT CHUYEN TIEN UNG HO", 50000).status == "unmatched"
    pickup = place_pickup(showroom, [(honey, 1)])
    order_services.record_payment(order=pickup, amount=pickup.total_incl_tax, reference="QUAY-1", source_type="Cash")
    pickups.hand_over(pickup_id=pickup.pickup.pk, showroom=showroom)

    result = loadtest_world.check(world, {}, drain=0, full=True)
    text = "\n".join(result.lines)

    collected = f"{int(delivered.cod_amount):,}".replace(",", ".")
    assert (f"PASS  every delivered COD order has its collection recorded: 1 parcels delivered with {collected} ₫ "
            "collected, 1 COD orders delivered and paid") in text, text
    assert "PASS  every bank transfer is matched or listed as unmatched with its reason: 1 matched, 1 unmatched " \
           "(1 no_order_number)" in text, text
    assert "PASS  every road was taken after “Place order”: 2 waybills, 1 COD parcels delivered, 1 parcels " \
           "refused, 1 refused lines received back, 1 transfers matched, 1 transfers unmatched, 1 pick-ups " \
           "collected, 1 returns received back" in text, text
    assert next(line for line in result.lines if "the stock ledger" in line).startswith("PASS"), text
    assert next(line for line in result.lines if "stock_audit" in line).startswith("PASS"), text
    assert "4 handed over (to carriers, or collected at the showroom), 2 back (refused parcels and returns)" in text

    PaymentEvent.objects.filter(reference="COD-GHNCHECK1").delete()
    again = loadtest_world.check(world, {}, drain=0, full=True)
    cod = next(line for line in again.lines if "collection recorded" in line)
    assert cod.startswith("FAIL") and "no or wrong collection for parcels ['GHNCHECK1']" in cod

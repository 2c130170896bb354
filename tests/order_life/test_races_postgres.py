"""On PostgreSQL, each call on its own connection at the same moment: two cashiers, a producer and
a carrier webhook handing over (or refusing) the same parcel write one move and one payment; and
hand-overs race new orders on the same stock rows without deadlock or a wrong count."""
import pytest
from django.db.models import Sum
from oscar.core.loading import get_model

from producer_portal import fulfilment
from shop.order import lifecycle, statuses
from shop.order.lifecycle import LifecycleError
from shop.partner.stock import InsufficientStock
from shop.payment.services import record_payment_choice
from tests.checkout.stock.factories import basket_of, make_product, place, stockrecord
from tests.concurrency import at_once

Order = get_model("order", "Order")
OrderLine = get_model("order", "Line")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def shipped_cod_order(*lines):
    order = place(basket_of(*lines))
    record_payment_choice(order=order, method="cod")
    for line in order.lines.select_related("partner"):
        fulfilment.mark_shipped(order=order, partner=line.partner, carrier="GHN", line_ids=[line.pk])
    return Order.objects.get(pk=order.pk)


def test_the_same_parcel_handed_over_and_refused_at_once_moves_once_with_one_payment():
    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=10)
    order = shipped_cod_order((tea, 2))
    calls = [lambda n=n: lifecycle.deliver(order=order, cod_reference=f"PT-{n}", channel=f"cashier {n}")
             for n in range(4)]
    calls += [lambda: lifecycle.refuse(order=order, reason="Khách đi vắng", channel="ghn") for _ in range(2)]

    moved, refused, errors = at_once(calls, refused_as=LifecycleError)

    assert errors == []
    assert sum(moved) == 1 and len(moved) + len(refused) == 6  # the others: nothing to do, or too late
    order.refresh_from_db()
    line = order.lines.get()
    assert (order.status, line.status) in ((statuses.DELIVERED, statuses.LINE_DELIVERED),
                                           (statuses.REFUSED, statuses.LINE_REFUSED))
    assert order.payment_events.count() == (1 if order.status == statuses.DELIVERED else 0)
    record = stockrecord(tea)
    assert (record.num_in_stock, record.num_allocated) == (8, 0)  # consumed once


def test_hand_overs_race_new_orders_on_the_same_stock_rows():
    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=20)
    coffee = make_product(title="Cà phê Arabica Sơn La", stock=20)
    parcels = [shipped_cod_order((tea, 1), (coffee, 1)) for _ in range(6)]  # 6 + 6 allocated
    deliveries = [lambda o=o: lifecycle.deliver(order=o, cod_reference=f"PT-{o.pk}") for o in parcels[:3]]
    refusals = [lambda o=o: lifecycle.refuse(order=o, reason="Hoàn về") for o in parcels[3:]]
    # 14 free units of each: 20 shoppers ask for one of each, in either order
    shoppers = [lambda n=n: place(basket_of((tea, 1), (coffee, 1)) if n % 2 else basket_of((coffee, 1), (tea, 1)))
                for n in range(20)]

    done, short, errors = at_once(deliveries + refusals + shoppers, refused_as=(InsufficientStock, LifecycleError))

    assert errors == [], errors
    assert [d for d in done if isinstance(d, int)] == [2] * 6  # every hand-over and refusal moved its two lines  # every hand-over and refusal moved
    new_orders = [d for d in done if not isinstance(d, int)]
    assert len(new_orders) == 14 and len(short) == 6
    for product in (tea, coffee):
        record = stockrecord(product)
        held = OrderLine.objects.filter(product=product, order__in=[o.pk for o in new_orders]).aggregate(
            n=Sum("quantity"))["n"]
        assert record.num_in_stock == 20 - 6  # the six parcels left
        assert record.num_allocated == held == 14


def test_a_row_naming_an_order_commits_while_the_orders_life_holds_the_order():
    """The order's life locks the order FOR NO KEY UPDATE: another transaction that writes a row
    pointing at the order (a note, a payment, a carrier's second waybill) checks that foreign key at
    COMMIT with a KEY SHARE lock, which FOR UPDATE would block. `make loadtest` found the deadlock
    it made: a carrier's "delivered" webhook held the order and waited for a stock row, held by a
    transaction whose COMMIT waited on the order."""
    import threading

    from django.db import connection, transaction

    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=10)
    order = shipped_cod_order((tea, 1))
    locked, release = threading.Event(), threading.Event()

    def the_webhook_holds_the_order():
        try:
            with transaction.atomic():
                lifecycle._lock(order)
                locked.set()
                release.wait(15)
        finally:
            connection.close()

    holder = threading.Thread(target=the_webhook_holds_the_order)
    holder.start()
    try:
        assert locked.wait(15)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")  # FOR UPDATE: the COMMIT below times out
            order.notes.create(message="Khách gọi hỏi đơn", note_type="Info")
    finally:
        release.set()
        holder.join(20)
    assert order.notes.filter(message="Khách gọi hỏi đơn").exists()

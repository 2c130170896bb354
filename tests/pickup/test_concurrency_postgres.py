"""On PostgreSQL, each call on its own connection, released together: two cashiers handing over
the same pick-up hand it over and take its money once; a hand-over racing new orders on the same
shelf rows neither oversells nor deadlocks."""
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from pickups.models import Pickup, State
from pos import pickup as desk
from pos import shifts
from pos.errors import PosError
from pos.models import PickupPayment
from pos.sale import Tender
from shop.order import services as order_services
from tests.concurrency import at_once
from tests.pos.factories import make_producer, make_product, make_showroom, make_staff, open_shift, stock_shelf

from .world import net, place_pickup, producer_record

StockRecord = get_model("partner", "StockRecord")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_cashiers_handing_over_the_same_order_at_once_hand_it_over_once():
    showroom = make_showroom()
    honey = make_product(make_producer(), title="Mật ong bạc hà", price=Decimal(185000))
    shelf = stock_shelf(showroom, honey, 5)
    order = place_pickup(showroom, [(honey, 2)])
    pickup = Pickup.objects.get(order=order)
    counters = []
    for _ in range(2):
        cashier = make_staff(showroom)
        counters.append((cashier, open_shift(cashier, showroom, Decimal(0))))

    def hand_over(cashier, shift):
        return lambda: desk.collect(pickup_id=pickup.pk, showroom=showroom, shift=shift, user=cashier,
                                    tender=Tender(cash_tendered=Decimal(400000)))

    done, refused, errors = at_once([hand_over(*c) for c in counters], refused_as=PosError)

    assert errors == [] and refused == []
    assert sorted(handed for _pickup, handed, _change in done) == [False, True]
    assert PickupPayment.objects.filter(order=order).count() == 1
    assert order_services.amount_paid(order) == Decimal(370000)
    assert sorted(shifts.expected_cash(shift) for _c, shift in counters) == [Decimal(0), Decimal(370000)]
    assert net(shelf) == (3, 0)
    assert Pickup.objects.get(pk=pickup.pk).state == State.COLLECTED


def test_a_hand_over_racing_new_pick_up_orders_on_the_same_shelf_never_oversells():
    showroom = make_showroom()
    honey = make_product(make_producer(), title="Mật ong bạc hà", price=Decimal(185000), stock_level=20)
    shelf = stock_shelf(showroom, honey, 5)
    waiting = place_pickup(showroom, [(honey, 2)])  # holds 2 of the shelf's 5: 3 free
    cashier = make_staff(showroom)
    shift = open_shift(cashier, showroom, Decimal(0))
    pickup = Pickup.objects.get(order=waiting)
    calls = [lambda: desk.collect(pickup_id=pickup.pk, showroom=showroom, shift=shift, user=cashier,
                                  tender=Tender(cash_tendered=Decimal(370000)))]
    calls += [lambda n=n: place_pickup(showroom, [(honey, 1)], phone=f"+8491200000{n}") for n in range(5)]

    done, refused, errors = at_once(calls, refused_as=PosError)

    assert errors == [] and refused == [] and len(done) == 6
    new = Pickup.objects.filter(showroom=showroom).exclude(pk=pickup.pk)
    assert new.filter(from_shelf=True, state=State.READY).count() == 3  # the 3 free jars
    assert new.filter(from_shelf=False, state=State.WAITING).count() == 2  # the producer brings the rest
    assert net(shelf) == (3, 3)  # 2 handed over, 3 held for the new orders
    assert net(producer_record(honey)) == (15, 2)
    assert Pickup.objects.get(pk=pickup.pk).state == State.COLLECTED

"""Pick-up orders placed before pick-ups were followed get their row from the data migration, so the
showroom's list shows them."""
import importlib

import pytest
from django.apps import apps

from pickups.models import Pickup, State

from .world import place_pickup

pytestmark = pytest.mark.django_db
migration = importlib.import_module("pickups.migrations.0002_existing_pickup_orders")


def test_open_delivered_and_cancelled_pick_ups_get_waiting_collected_and_expired_rows(desk):
    orders = [place_pickup(desk.showroom, [(desk.tea, 1)], phone="+84912000111") for _ in range(3)]
    orders[1].status, orders[2].status = "Delivered", "Cancelled"
    for order in orders:
        order.save()
    Pickup.objects.filter(order__in=orders).delete()  # as before this app existed

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # a second run adds nothing

    rows = {p.order_id: p for p in Pickup.objects.filter(order__in=orders)}
    assert [rows[o.pk].state for o in orders] == [State.WAITING, State.COLLECTED, State.EXPIRED]
    assert {rows[o.pk].phone for o in orders} == {"0912000111"}
    assert {rows[o.pk].showroom_id for o in orders} == {desk.showroom.pk}

"""The load test's data check of producers' money passes on real events and fails on a forged row."""
import pytest
from django.utils import timezone

from bench.loadtest_world import Checks, _check_ledger
from pos import returns
from settlement.models import Entry, Kind

from .conftest import deliver_online, sell_at_counter

pytestmark = pytest.mark.django_db


def test_the_ledger_check_passes_then_fails_on_a_forged_row(world):
    sale = sell_at_counter(world, world.tea, 3)
    returns.refund(sale=sale, shift=world.shift, quantities={sale.order.lines.get().pk: 1}, reason="Hỏng")
    deliver_online((world.honey, 2))
    out = Checks()
    _check_ledger(out)
    assert out.failed == 0, out.lines
    assert "PASS  ledger balance" in out.lines[0] and "PASS  ledger_audit passes" in out.lines[1]

    Entry.objects.bulk_create([Entry(producer=world.other, kind=Kind.SALE, amount=5, event="x", key="x:sale",
                                     occurred_at=timezone.now())])
    out = Checks()
    _check_ledger(out)
    assert out.failed == 2 and f"producer {world.other.pk}" in out.lines[0]

"""Payouts under real concurrency on PostgreSQL, each call on its own connection: eight staff
marking the same payout paid at once pay it once; two payout runs for overlapping periods made at
once make one; a refund racing the payment never lets the payout take the balance below zero."""
import datetime as dt

import pytest
from django.utils import timezone

from settlement import accounts, payouts, services
from settlement.models import Entry, Kind, Payout, PayoutRun
from tests.concurrency import at_once

from .conftest import World, days_ago, deliver_online

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def a_run(world):
    accounts.save_account(producer=world.producer, bank_bin="970436", account_number="0123456789", holder="HTX")
    order = deliver_online((world.tea, 2), at=days_ago(20))
    today = timezone.localdate()
    run = payouts.create_run(period_start=today - dt.timedelta(days=40), period_end=today - dt.timedelta(days=10),
                             minimum=0)
    return run.payouts.get(), order


def test_eight_staff_marking_one_payout_paid_at_once_pay_it_once():
    world = World()
    payout, _order = a_run(world)

    done, refused, errors = at_once([lambda n=n: payouts.mark_paid(payout_id=payout.pk, bank_reference=f"FT-{n}")
                                     for n in range(8)], refused_as=services.SettlementError)

    assert errors == [] and len(done) == 1 and len(refused) == 7
    assert all(isinstance(e, payouts.AlreadyPaid) for e in refused)
    assert Entry.objects.filter(kind=Kind.PAYOUT).count() == 1
    assert services.balance(world.producer.pk) == 0
    assert Payout.objects.get(pk=payout.pk).bank_reference == done[0].bank_reference


def test_overlapping_runs_made_at_once_make_one():
    world = World()
    deliver_online((world.tea, 1), at=days_ago(20))
    today = timezone.localdate()
    calls = [lambda k=k: payouts.create_run(period_start=today - dt.timedelta(days=40 + k),
                                            period_end=today - dt.timedelta(days=10), minimum=0) for k in range(4)]

    done, refused, errors = at_once(calls, refused_as=services.SettlementError)

    assert errors == [] and len(done) == 1 and len(refused) == 3
    assert PayoutRun.objects.count() == 1 and Payout.objects.count() == 1


def test_a_refund_racing_the_payment_never_pays_more_than_the_balance():
    world = World()
    payout, order = a_run(world)
    line = order.lines.get()

    done, refused, errors = at_once([
        lambda: payouts.mark_paid(payout_id=payout.pk, bank_reference="FT-RACE"),
        lambda: services.record_refund(line=line, quantity=1, reference="RF-RACE"),
    ], refused_as=services.SettlementError)

    assert errors == []
    paid = Payout.objects.get(pk=payout.pk).status == Payout.PAID
    if paid:  # the payment went first: the refund is carried as a negative balance
        assert services.balance(world.producer.pk) == -135000 and not refused
    else:  # the refund went first: the payout no longer fits and was refused
        assert services.balance(world.producer.pk) == 135000 and len(refused) == 1
    assert Entry.objects.filter(kind=Kind.PAYOUT).count() == int(paid)

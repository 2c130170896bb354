"""Payout runs and marking paid: what is paid, what is refused, and that nothing is paid twice."""
import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Kind as NoticeKind
from notifications.models import Notification
from settlement import accounts, payouts, services
from settlement.models import Entry, Kind, Payout

from .conftest import days_ago, deliver_online

pytestmark = pytest.mark.django_db


def with_account(producer, number="0123456789"):
    accounts.save_account(producer=producer, bank_bin="970436", account_number=number, holder="HTX Che Ta Xua")


def period(days_from=40, days_to=10):
    today = timezone.localdate()
    return today - dt.timedelta(days=days_from), today - dt.timedelta(days=days_to)


def test_a_run_pays_the_balance_earned_in_the_period_and_marking_paid_debits_it_once(world):
    with_account(world.producer)
    deliver_online((world.tea, 2), at=days_ago(20))  # 300.000 − 30.000
    deliver_online((world.tea, 1), at=days_ago(2))  # after the period: next run
    start, end = period()

    run = payouts.create_run(period_start=start, period_end=end, minimum=100000)

    payout = run.payouts.get()
    assert (payout.producer, payout.amount, payout.account_number) == (world.producer, 270000, "0123456789")
    assert payout.reference.isascii() and len(payout.reference) <= 25
    payouts.mark_paid(payout_id=payout.pk, bank_reference="FT2612345")
    assert services.balance(world.producer.pk) == 135000
    with pytest.raises(payouts.AlreadyPaid):
        payouts.mark_paid(payout_id=payout.pk, bank_reference="FT2612345")  # the form sent again
    assert Entry.objects.filter(kind=Kind.PAYOUT).count() == 1
    notice = Notification.objects.get(kind=NoticeKind.PAYOUT, partner=world.producer)
    assert notice.payload["amount"] == 270000 and notice.payload["lines"][0]["net"] == 270000


def test_payout_e_mail_reaches_the_producer_with_the_statement(world, settings):
    world.producer.contact_email = "htx@example.vn"
    world.producer.save()
    with_account(world.producer)
    deliver_online((world.tea, 2), at=days_ago(20))
    start, end = period()
    run = payouts.create_run(period_start=start, period_end=end, minimum=0)
    mail.outbox.clear()
    payouts.mark_paid(payout_id=run.payouts.get().pk, bank_reference="FT1")
    from notifications import services as outbox

    for n in Notification.objects.filter(kind=NoticeKind.PAYOUT):
        outbox.deliver(n.pk)
    sent = [m for m in mail.outbox if "htx@example.vn" in m.to]
    assert sent and "270.000 ₫" in sent[0].subject and "Chè Shan tuyết" in sent[0].body


def test_earnings_still_in_the_return_window_are_not_paid(world):
    with_account(world.producer)
    deliver_online((world.tea, 1), at=days_ago(3))  # inside the 7-day window
    start, end = period(days_from=30, days_to=1)
    run = payouts.create_run(period_start=start, period_end=end, minimum=0)
    assert not run.payouts.exists()


def test_below_the_minimum_nothing_is_paid(world):
    with_account(world.other)
    deliver_online((world.honey, 1), at=days_ago(20))
    start, end = period()
    run = payouts.create_run(period_start=start, period_end=end, minimum=200000)
    assert not run.payouts.exists()  # 166.500 is below the minimum


def test_overlapping_runs_and_bad_periods_are_refused_with_a_message(world):
    start, end = period()
    payouts.create_run(period_start=start, period_end=end, minimum=0)
    with pytest.raises(services.SettlementError, match="already covers"):
        payouts.create_run(period_start=end, period_end=end + dt.timedelta(days=2), minimum=0)
    with pytest.raises(services.SettlementError, match="ends before"):
        payouts.create_run(period_start=end, period_end=start, minimum=0)
    with pytest.raises(services.SettlementError, match="over"):
        payouts.create_run(period_start=timezone.localdate(), period_end=timezone.localdate(), minimum=0)


def test_a_refund_after_the_payout_goes_negative_and_the_next_run_takes_it(world):
    with_account(world.producer)
    order = deliver_online((world.tea, 2), at=days_ago(30))
    start, end = period(days_from=40, days_to=25)
    run = payouts.create_run(period_start=start, period_end=end, minimum=0)
    payouts.mark_paid(payout_id=run.payouts.get().pk, bank_reference="FT-A")

    result = services.record_refund(line=order.lines.get(), quantity=2, reference="RF-after")

    assert result.after_payout and result.balance_after == -270000
    deliver_online((world.tea, 3), at=days_ago(15))  # 405.000 net
    run2 = payouts.create_run(period_start=end + dt.timedelta(days=1), period_end=end + dt.timedelta(days=14),
                              minimum=0)
    assert run2.payouts.get().amount == 135000  # 405.000 − the 270.000 carried


def test_a_payout_never_takes_the_balance_below_zero(world):
    with_account(world.producer)
    order = deliver_online((world.tea, 2), at=days_ago(20))
    start, end = period()
    run = payouts.create_run(period_start=start, period_end=end, minimum=0)
    services.record_refund(line=order.lines.get(), quantity=1, reference="RF-between")

    with pytest.raises(services.SettlementError, match="less than this payout"):
        payouts.mark_paid(payout_id=run.payouts.get().pk, bank_reference="FT-B")
    assert services.balance(world.producer.pk) == 135000
    assert not Payout.objects.filter(status=Payout.PAID).exists()


def test_a_bank_reference_is_recorded_once_and_a_producer_without_account_is_not_paid(world):
    with_account(world.producer)
    deliver_online((world.tea, 1), at=days_ago(20))
    deliver_online((world.honey, 1), at=days_ago(20))
    start, end = period()
    run = payouts.create_run(period_start=start, period_end=end, minimum=0)
    tea = run.payouts.get(producer=world.producer)
    honey = run.payouts.get(producer=world.other)
    payouts.mark_paid(payout_id=tea.pk, bank_reference="FT-SAME")
    with pytest.raises(services.SettlementError, match="no bank account"):
        payouts.mark_paid(payout_id=honey.pk, bank_reference="FT-OTHER")
    with_account(world.other, "99887766")
    Payout.objects.filter(pk=honey.pk).update(account_number="99887766", bank_bin="970436")
    with pytest.raises(services.SettlementError, match="already recorded"):
        payouts.mark_paid(payout_id=honey.pk, bank_reference="FT-SAME")


def test_the_office_is_warned_of_an_account_changed_since_the_last_payout(world):
    with_account(world.producer)
    deliver_online((world.tea, 1), at=days_ago(30))
    start, end = period(days_from=40, days_to=25)
    run = payouts.create_run(period_start=start, period_end=end, minimum=0)
    payouts.mark_paid(payout_id=run.payouts.get().pk, bank_reference="FT-1")
    assert not run.payouts.get().account_changed
    with_account(world.producer, "5555666677")
    deliver_online((world.tea, 1), at=days_ago(20))
    run2 = payouts.create_run(period_start=end + dt.timedelta(days=1), period_end=end + dt.timedelta(days=14),
                              minimum=0)
    assert run2.payouts.get().account_changed and run2.payouts.get().account_number == "5555666677"

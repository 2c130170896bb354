"""The office pays producers: a payout run for a period, then each transfer marked paid.

What a run pays a producer: their balance now, less what they earned after the period's end or
still inside the return window (a return can still take it back), when that is at least the run's
minimum. Returns, refunds and earlier payouts count whenever they happened, so a refund after a
payout (a negative balance) is taken from the next run, never lost.

Never paid twice: the run locks every producer row (FOR NO KEY UPDATE, pk order) so two runs
cannot be made at once; periods may not overlap; one payout per producer and run (unique); marking
paid locks the payout row, re-checks it is unpaid and that the balance still covers it, then writes
the ledger row whose key is unique per payout. The bank reference is unique too.
"""
from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from .models import BankAccountChange, Entry, Kind, Payout, PayoutRun
from .services import _EARNINGS, SettlementError, balance, window_days

Partner = get_model("partner", "Partner")


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def payable(producer_id: int, *, until: dt.datetime) -> int:
    """What may be paid now for earnings up to `until`: never more than the balance."""
    later = Entry.objects.filter(producer_id=producer_id, kind__in=[k.value for k in _EARNINGS],
                                 occurred_at__gte=until).balance()
    total = balance(producer_id)
    return min(total - later, total)


def cutoff(period_end: dt.date, *, now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    return min(end_of_day(period_end), now - dt.timedelta(days=window_days()))


def transfer_note(run: PayoutRun, producer) -> str:
    """Short plain ASCII, as banks keep it: OCOP TT <run> <producer id>."""
    return re.sub(r"[^A-Z0-9 ]", "", f"OCOP TT{run.pk} P{producer.pk}".upper())[:25]


def account_changed_since_last_payout(producer) -> bool:
    last_paid = Payout.objects.filter(producer=producer, status=Payout.PAID).order_by("-paid_at").first()
    changes = BankAccountChange.objects.filter(producer=producer)
    if last_paid is None:
        return False  # first payout: nothing to compare with (the account's own log shows its history)
    return changes.filter(changed_at__gt=last_paid.paid_at).exists()


RUN_LOCK = 0x5E771E  # PostgreSQL advisory lock id of "making a payout run"


def _one_run_at_a_time() -> None:
    """Two runs made at once would both find no overlapping run: the second waits for the first's
    commit, then sees it. (SQLite serialises writers by itself.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RUN_LOCK])


@transaction.atomic
def create_run(*, period_start: dt.date, period_end: dt.date, minimum: int, user=None,
               now: dt.datetime | None = None) -> PayoutRun:
    if period_end < period_start:
        raise SettlementError(_("The period ends before it starts."))
    if period_end >= timezone.localdate(now):
        raise SettlementError(_("A payout run covers days that are over: end the period yesterday or earlier."))
    if minimum < 0:
        raise SettlementError(_("The minimum payout is 0 đồng or more."))
    _one_run_at_a_time()
    # Every producer row with a ledger, in pk order: a payment being marked meanwhile waits (and is
    # waited for), so the balances read below are the ones the run pays.
    producers = list(Partner.objects.select_for_update(no_key=True)
                     .filter(pk__in=Entry.objects.values("producer_id")).order_by("pk"))
    overlap = PayoutRun.objects.filter(period_start__lte=period_end, period_end__gte=period_start).first()
    if overlap is not None:
        raise SettlementError(_("A payout run already covers %(period)s: choose days after it.")
                              % {"period": str(overlap)})
    try:
        with transaction.atomic():
            run = PayoutRun.objects.create(period_start=period_start, period_end=period_end, minimum=minimum,
                                           created_by=user)
    except IntegrityError:
        raise SettlementError(_("A payout run already starts on that day.")) from None
    until = cutoff(period_end, now=now)
    for producer in producers:
        if Payout.objects.filter(producer=producer, status=Payout.PENDING).exists():
            continue  # an earlier transfer is still open: pay or settle it first, then the next run takes the rest
        amount = payable(producer.pk, until=until)
        if amount <= 0 or amount < minimum:
            continue
        account = getattr(producer, "bank_account", None)
        Payout.objects.create(
            run=run, producer=producer, amount=amount, reference=transfer_note(run, producer),
            bank_bin=account.bank_bin if account else "", account_number=account.account_number if account else "",
            holder=account.holder if account else "",
            account_changed=account_changed_since_last_payout(producer))
    return run


class AlreadyPaid(SettlementError):
    pass


@transaction.atomic
def mark_paid(*, payout_id: int, bank_reference: str, user=None, now: dt.datetime | None = None) -> Payout:
    """The transfer went out: write the payout's ledger row. A second request (another staff
    member, the form sent again) finds it paid and raises AlreadyPaid, writing nothing."""
    bank_reference = (bank_reference or "").strip()
    if not bank_reference:
        raise SettlementError(_("Enter the bank's reference of the transfer."))
    payout = Payout.objects.select_for_update(of=("self",), no_key=True).select_related("producer").get(pk=payout_id)
    if payout.is_paid:
        raise AlreadyPaid(_("This payout was already marked paid (bank reference %(ref)s): nothing was paid twice.")
                          % {"ref": payout.bank_reference})
    if not payout.account_number:
        raise SettlementError(_("%(producer)s has no bank account: ask them to add it in their portal.")
                              % {"producer": payout.producer.name})
    list(Partner.objects.select_for_update(no_key=True).filter(pk=payout.producer_id).values_list("pk"))
    now_balance = balance(payout.producer_id)
    if payout.amount > now_balance:
        raise SettlementError(_("%(producer)s's balance is now %(balance)s đồng, less than this payout: a return or "
                                "refund came in after the run. Make a new run for the right amount.")
                              % {"producer": payout.producer.name, "balance": f"{now_balance:,}".replace(",", ".")})
    if Payout.objects.filter(bank_reference=bank_reference).exclude(pk=payout.pk).exists():
        raise SettlementError(_("That bank reference is already recorded on another payout."))
    at = now or timezone.now()
    Entry.objects.create(producer_id=payout.producer_id, kind=Kind.PAYOUT, amount=-payout.amount,
                         event=f"payout:{payout.pk}", key=f"payout:{payout.pk}:payout", payout=payout,
                         reference=bank_reference[:64], occurred_at=at)
    Payout.objects.filter(pk=payout.pk).update(status=Payout.PAID, bank_reference=bank_reference, paid_at=at,
                                               paid_by=user)
    payout.refresh_from_db()
    from . import mail

    mail.queue_payout_statement(payout)
    return payout

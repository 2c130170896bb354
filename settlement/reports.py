"""The office's report for a period: per producer and per showroom, sales, commission earned,
returns and refunds, payouts, and each producer's open balance (all time, at the period's end)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone
from oscar.core.loading import get_model

from .models import Entry, Kind

Partner = get_model("partner", "Partner")


@dataclass
class Totals:
    name: str
    sales: int = 0
    commission: int = 0  # earned by the office: commission and fees, less what returns gave back
    returns: int = 0
    payouts: int = 0
    balance: int = 0
    extra: dict = field(default_factory=dict)


def _bounds(start: dt.date, end: dt.date):
    return (timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
            timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)))


def _add(totals: Totals, kind: str, amount: int):
    if kind in (Kind.SALE, Kind.SHIPPING):
        totals.sales += amount
    elif kind in (Kind.COMMISSION, Kind.PAYMENT_FEE, Kind.COMMISSION_BACK, Kind.PAYMENT_FEE_BACK):
        totals.commission -= amount
    elif kind == Kind.RETURN:
        totals.returns -= amount
    elif kind == Kind.PAYOUT:
        totals.payouts -= amount


def period_report(start: dt.date, end: dt.date) -> tuple[list[Totals], list[Totals], Totals]:
    since, until = _bounds(start, end)
    rows = (Entry.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
            .values("producer_id", "showroom__name", "channel", "kind").annotate(s=Sum("amount")))
    names = dict(Partner.objects.filter(ledger_entries__isnull=False).distinct().values_list("pk", "name"))
    by_producer: dict[int, Totals] = {pk: Totals(name=name) for pk, name in names.items()}
    by_showroom: dict[str, Totals] = defaultdict(lambda: Totals(name=""))
    grand = Totals(name="")
    for row in rows:
        amount = int(row["s"] or 0)
        _add(by_producer[row["producer_id"]], row["kind"], amount)
        _add(grand, row["kind"], amount)
        if row["kind"] != Kind.PAYOUT:
            place = row["showroom__name"] or ("online" if row["channel"] == "online" else "")
            by_showroom[place].name = place
            _add(by_showroom[place], row["kind"], amount)
    balances = dict(Entry.objects.filter(occurred_at__lt=until).values_list("producer_id").annotate(s=Sum("amount")))
    for pk, totals in by_producer.items():
        totals.balance = int(balances.get(pk) or 0)
        grand.balance += totals.balance
    producers = sorted((t for t in by_producer.values() if any((t.sales, t.commission, t.returns, t.payouts, t.balance))),
                       key=lambda t: t.name)
    showrooms = sorted(by_showroom.values(), key=lambda t: (t.name != "online", t.name))
    return producers, showrooms, grand

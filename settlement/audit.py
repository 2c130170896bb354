"""`ledger_audit`: every producer's balance recomputed from the documents the ledger follows.

- online: every line of a Delivered order (not a counter sale) is credited its price, less the
  commission at the rate the rules give for that day (and the card fee when set);
- counter: every line of every counter sale, what the customer paid for it, less commission;
- counter returns: every returned line, its refunded amount, commission given back;
- online refunds: each refund row must name a refund Oscar recorded on that order (a payment
  event "Refunded" with that reference) and not exceed it; its commission back at the sale's rate;
- payouts: every paid payout, once, for its amount.
Each expected row is compared with the ledger by key; any difference (missing, extra, other
amount) and any balance that differs is reported, and the command exits 1.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from . import commission, services
from .models import Channel, CommissionRule, Entry, Kind, Payout

Line = get_model("order", "Line")
Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")

DELIVERED = "Delivered"  # shop/order/statuses.DELIVERED and LINE_DELIVERED (this app sits below the order fork)
NOT_YET_DELIVERED = ("", "Packed", "Shipped")  # line statuses of an order delivered before lines had their own


def delivered_lines():
    """Online lines the shopper has: delivered one by one (the order life's line status), or, for
    orders delivered before lines had that status, every line of a Delivered order that was not
    refused or returned to sender."""
    return Line.objects.filter(order__pos_sale__isnull=True).filter(
        Q(status=DELIVERED) | Q(order__status=DELIVERED, status__in=NOT_YET_DELIVERED))


@dataclass
class Result:
    producers: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    balances: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _rate(rules, producer_id, channel, showroom_id, at):
    return commission.rate_for(producer_id=producer_id, channel=channel, showroom_id=showroom_id,
                               on=timezone.localdate(at), rules=rules)


def expected_rows() -> tuple[dict[str, tuple[int, int]], list[str]]:
    """{key: (producer id, amount)} the documents call for, and problems found on the way."""
    rules = list(CommissionRule.objects.all())
    ledger = {e.key: e for e in Entry.objects.all()}
    want: dict[str, tuple[int, int]] = {}
    problems: list[str] = []
    fee_on = services.fee_percent()

    def sale(event, producer_id, gross, channel, showroom_id, fee_rate=Decimal(0)):
        recorded = ledger.get(f"{event}:sale")
        if recorded is None:
            problems.append(f"{event}: sold but not in the ledger")
            return
        want[f"{event}:sale"] = (producer_id, gross)
        rate = _rate(rules, producer_id, channel, showroom_id, recorded.occurred_at)
        want[f"{event}:commission"] = (producer_id, -commission.share(gross, rate))
        if fee_rate:
            want[f"{event}:fee"] = (producer_id, -commission.share(gross, fee_rate))

    online = delivered_lines().select_related("order", "product")
    for line in online:
        pid = services.producer_id_of(line)
        if pid is None:
            continue
        event = f"online:line:{line.pk}"
        recorded = ledger.get(f"{event}:sale")
        quantity = recorded.quantity if recorded else line.quantity  # some units may have been refused
        gross = services.whole_dong(line.line_price_incl_tax * quantity / line.quantity)
        fee = fee_on if fee_on and ledger.get(f"{event}:fee") is not None else Decimal(0)
        sale(event, pid, gross, Channel.ONLINE, None, fee)
        if services.shipping_to_producers():
            amount = services.shipping_share(line.order, pid)
            if amount:
                want[f"online:shipping:{line.order_id}:{pid}:shipping"] = (pid, amount)

    PosSale = get_model("pos", "PosSale")
    PosReturnLine = get_model("pos", "PosReturnLine")
    for pos_sale in PosSale.objects.select_related("order").prefetch_related("order__lines__product"):
        for line in pos_sale.order.lines.all():
            pid = services.producer_id_of(line)
            if pid is not None:
                sale(f"counter:line:{line.pk}", pid, services.counter_line_gross(pos_sale.order, line),
                     Channel.COUNTER, pos_sale.showroom_id)
    for row in PosReturnLine.objects.select_related("line__product"):
        sold = ledger.get(f"counter:line:{row.line_id}:sale")
        if sold is None:
            continue
        event = f"counter-return:{row.pk}"
        amount = services.whole_dong(row.amount)
        want[f"{event}:return"] = (sold.producer_id, -amount)
        rate = ledger[f"counter:line:{row.line_id}:commission"].rate
        want[f"{event}:commission_back"] = (sold.producer_id, commission.share(amount, rate))

    refunded = defaultdict(Decimal)
    for order_id, reference, amount in (PaymentEvent.objects.filter(event_type__name="Refunded")
                                        .values_list("order_id", "reference", "amount")):
        refunded[(order_id, reference)] += amount
    reversed_by_ref = defaultdict(int)
    for entry in ledger.values():
        if entry.kind != Kind.RETURN or not entry.event.startswith("refund:"):
            continue
        reversed_by_ref[(entry.order_id, entry.reference)] += -entry.amount
        sold = ledger.get(f"online:line:{entry.line_id}:commission")
        want[entry.key] = (entry.producer_id, entry.amount)
        if sold is not None:
            want[f"{entry.event}:commission_back"] = (entry.producer_id, commission.share(-entry.amount, sold.rate))
        fee = ledger.get(f"online:line:{entry.line_id}:fee")
        if fee is not None:
            want[f"{entry.event}:fee_back"] = (entry.producer_id, commission.share(-entry.amount, fee.rate))
    for (order_id, reference), amount in reversed_by_ref.items():
        if amount > refunded.get((order_id, reference), 0):
            problems.append(f"refund {reference} of order #{order_id}: {amount} đồng reversed, "
                            f"{int(refunded.get((order_id, reference), 0))} refunded")

    for payout in Payout.objects.filter(status=Payout.PAID):
        want[f"payout:{payout.pk}:payout"] = (payout.producer_id, -int(payout.amount))
    return want, problems


def run() -> Result:
    want, problems = expected_rows()
    result = Result(problems=list(problems))
    expected_balance = defaultdict(int)
    for producer_id, amount in want.values():
        expected_balance[producer_id] += amount
    actual = dict(Entry.objects.values_list("producer_id").annotate(s=Sum("amount")))
    for key, entry in ((e.key, e) for e in Entry.objects.all()):
        result.rows += 1
        if key not in want:
            result.problems.append(f"{key}: in the ledger, not called for by any order, sale, refund or payout")
        elif want[key] != (entry.producer_id, int(entry.amount)):
            result.problems.append(f"{key}: ledger {entry.amount} for producer {entry.producer_id}, "
                                   f"expected {want[key][1]} for producer {want[key][0]}")
    keys = set(Entry.objects.values_list("key", flat=True))
    for key in want:
        if key not in keys:
            result.problems.append(f"{key}: missing from the ledger (expected {want[key][1]})")
    for producer_id in sorted(set(actual) | set(expected_balance)):
        got, wanted = int(actual.get(producer_id) or 0), expected_balance.get(producer_id, 0)
        result.balances[producer_id] = got
        if got != wanted:
            result.problems.append(f"producer {producer_id}: balance {got}, recomputed {wanted}")
    result.producers = len(result.balances)
    return result

"""Writing the producer ledger: called by the order and counter services inside their own
transaction (never by a signal), so a sale and its ledger rows commit or roll back together.

Choice (README, "Producers' money"): an online line is credited **when it is delivered**, and a
return or refund after delivery reverses it. Until the return window closes the credit shows as
pending and is not paid out (payouts.payable).

Each event writes its rows with keys derived from the event, inserted with ON CONFLICT DO NOTHING:
recording the same delivery, sale or return twice writes nothing the second time.

What a producer is credited:
- online: the line's price after its own line discounts (order-wide vouchers are the office's);
- counter: what the customer paid for the line, the showroom's discount spread over the lines by
  value (as pos/returns.py refunds it);
- commission: the rate in force that day (commission.rate_for), frozen on the row;
- shipping (SETTLEMENT_SHIPPING_BORNE_BY): "office" (default) keeps the shopper's shipping charge
  and pays the carriers; "producer" credits each producer its share of it (by line value), for
  producers who ship their own parcels;
- payment fees (SETTLEMENT_PAYMENT_FEE_PERCENT): 0 (default) the office bears card fees; above 0,
  that percent of a card-paid online line is debited to its producer.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core import money

from . import commission
from .models import Channel, CommissionRule, Entry, Kind

Partner = get_model("partner", "Partner")

# The Oscar payment source type of card payments (shop/payment/stripe_checkout.SOURCE_TYPE; a test
# keeps the two equal: this app sits below the payment fork and may not import it).
CARD_SOURCE = "Stripe"


class SettlementError(Exception):
    """A request the ledger refuses, with a message for the person who made it."""


def whole_dong(amount) -> int:
    return int(money.whole_dong(amount))


def producer_id_of(line) -> int | None:
    """Whose goods a line sold: the product's producer; else the line's partner when that is a
    producer (a showroom's shelf partner sells on the producers' behalf)."""
    product = getattr(line, "product", None)
    if product is not None and product.producer_id:
        return product.producer_id
    if line.partner_id and not Partner.objects.filter(pk=line.partner_id, showroom__isnull=False).exists():
        return line.partner_id
    return None


def fee_percent() -> Decimal:
    return Decimal(str(getattr(settings, "SETTLEMENT_PAYMENT_FEE_PERCENT", "0")))


def shipping_to_producers() -> bool:
    return getattr(settings, "SETTLEMENT_SHIPPING_BORNE_BY", "office") == "producer"


def paid_by_card(order) -> bool:
    return order.sources.filter(source_type__name=CARD_SOURCE).exists()


def counter_share(order) -> Decimal:
    """The part of the counter price the customer paid: the showroom's discount spread by value."""
    before = order.total_before_discounts_incl_tax
    return (order.total_incl_tax / before) if before else Decimal(1)


def counter_line_gross(order, line, quantity: int | None = None, share: Decimal | None = None) -> int:
    """What the customer paid at the counter for `quantity` (default all) units of the line."""
    share = counter_share(order) if share is None else share
    quantity = line.quantity if quantity is None else quantity
    return whole_dong(line.unit_price_incl_tax * share * quantity)


def _write(rows: list[Entry]) -> int:
    """Insert the rows; a key already there is skipped (the event was recorded before)."""
    if not rows:
        return 0
    keys = [row.key for row in rows]
    before = set(Entry.objects.filter(key__in=keys).values_list("key", flat=True))
    Entry.objects.bulk_create([row for row in rows if row.key not in before], ignore_conflicts=True)
    return len(set(keys) - before)


def _sale_rows(*, event: str, producer_id: int, gross: int, quantity: int, channel: str, at: dt.datetime,
               order, line, showroom_id=None, reference: str = "", fee: Decimal = Decimal(0),
               rules=None) -> list[Entry]:
    rate = commission.rate_for(producer_id=producer_id, channel=channel, showroom_id=showroom_id,
                               on=timezone.localdate(at), rules=rules)
    common = {"producer_id": producer_id, "event": event, "channel": channel, "showroom_id": showroom_id,
              "order": order, "line": line, "occurred_at": at, "reference": reference}
    rows = [Entry(kind=Kind.SALE, amount=gross, key=f"{event}:sale", quantity=quantity, **common),
            Entry(kind=Kind.COMMISSION, amount=-commission.share(gross, rate), key=f"{event}:commission",
                  base=gross, rate=rate, **common)]
    if fee:
        rows.append(Entry(kind=Kind.PAYMENT_FEE, amount=-commission.share(gross, fee), key=f"{event}:fee",
                          base=gross, rate=fee, **common))
    return rows


def record_delivery(lines, *, at: dt.datetime | None = None, quantities: dict[int, int] | None = None) -> int:
    """Credit the producers of online `lines` just delivered (all their units, or `quantities`
    {line id: units} when some were refused at the door). Returns the rows written."""
    at = at or timezone.now()
    rows: list[Entry] = []
    by_order = defaultdict(list)
    for line in lines:
        by_order[line.order_id].append(line)
    for order_lines in by_order.values():
        order = order_lines[0].order
        fee = fee_percent() if fee_percent() and paid_by_card(order) else Decimal(0)
        delivered_value = defaultdict(int)
        for line in order_lines:
            producer_id = producer_id_of(line)
            quantity = line.quantity if quantities is None else int(quantities.get(line.pk, 0))
            if producer_id is None or quantity <= 0:
                continue
            gross = whole_dong(line.line_price_incl_tax * quantity / line.quantity) if line.quantity else 0
            rows += _sale_rows(event=f"online:line:{line.pk}", producer_id=producer_id, gross=gross,
                               quantity=quantity, channel=Channel.ONLINE, at=at, order=order, line=line,
                               reference=str(order.number), fee=fee)
            delivered_value[producer_id] += gross
        if shipping_to_producers():
            rows += _shipping_rows(order, delivered_value, at)
    with transaction.atomic():
        return _write(rows)


def shipping_share(order, producer_id: int) -> int:
    """The producer's part of the order's shipping charge: by the value of their lines."""
    values = defaultdict(Decimal)
    for line in order.lines.select_related("product"):
        pid = producer_id_of(line)
        if pid:
            values[pid] += line.line_price_incl_tax
    total = sum(values.values())
    if not total or not order.shipping_incl_tax:
        return 0
    return whole_dong(order.shipping_incl_tax * values[producer_id] / total)


def _shipping_rows(order, delivered_value: dict[int, int], at) -> list[Entry]:
    rows = []
    for producer_id in delivered_value:
        amount = shipping_share(order, producer_id)
        if amount:
            event = f"online:shipping:{order.pk}:{producer_id}"
            rows.append(Entry(kind=Kind.SHIPPING, amount=amount, key=f"{event}:shipping", event=event,
                              producer_id=producer_id, channel=Channel.ONLINE, order=order, occurred_at=at,
                              reference=str(order.number)))
    return rows


def record_counter_sale(sale) -> int:
    """Credit the producers of every line sold at the counter (pos/sale.py, in the sale's transaction)."""
    order = sale.order
    rows: list[Entry] = []
    share = counter_share(order)
    rules = list(CommissionRule.objects.filter(effective_from__lte=timezone.localdate(sale.created_at)))
    for line in order.lines.select_related("product").order_by("pk"):
        producer_id = producer_id_of(line)
        if producer_id is None:
            continue
        rows += _sale_rows(event=f"counter:line:{line.pk}", producer_id=producer_id,
                           gross=counter_line_gross(order, line, share=share), quantity=line.quantity,
                           channel=Channel.COUNTER, at=sale.created_at, order=order, line=line,
                           showroom_id=sale.showroom_id, reference=str(order.number), rules=rules)
    with transaction.atomic(savepoint=False):  # the sale's own transaction: no savepoint to pay for
        return _write(rows)


@dataclass(frozen=True)
class Reversal:
    written: int
    balance_after: int
    after_payout: bool  # the producer had been paid since the sale: the balance may now be negative


def _reverse(*, sale_event: str, event: str, line, quantity: int, amount: int, at, reference: str) -> Reversal:
    """Reverse `amount` đồng of the sale recorded as `sale_event` (its commission and fee at the
    rates frozen on them). Locks the producer's row: a payout cannot pass in between."""
    sold = {row.kind: row for row in Entry.objects.filter(event=sale_event)}
    sale = sold.get(Kind.SALE)
    if sale is None:
        return Reversal(0, 0, False)  # never credited (refused at the door, sold before the ledger)
    list(Partner.objects.select_for_update(no_key=True).filter(pk=sale.producer_id).values_list("pk"))
    if Entry.objects.filter(key=f"{event}:return").exists():
        return Reversal(0, balance(sale.producer_id), False)
    back = -(Entry.objects.filter(line=line, kind=Kind.RETURN, producer_id=sale.producer_id)
             .aggregate(n=Sum("quantity"))["n"] or 0)
    if quantity <= 0 or quantity > sale.quantity - back:
        raise SettlementError(_("Only %(left)d of «%(title)s» can still be returned or refunded.")
                              % {"left": sale.quantity - back, "title": line.title})
    returned_before = -(Entry.objects.filter(line=line, kind=Kind.RETURN, producer_id=sale.producer_id)
                        .aggregate(s=Sum("amount"))["s"] or 0)
    if amount <= 0 or amount > sale.amount - returned_before:
        raise SettlementError(_("A refund of «%(title)s» cannot be more than what was credited for it.")
                              % {"title": line.title})
    common = {"producer_id": sale.producer_id, "event": event, "channel": sale.channel,
              "showroom_id": sale.showroom_id, "order_id": sale.order_id, "line": line, "occurred_at": at,
              "reference": reference}
    rows = [Entry(kind=Kind.RETURN, amount=-amount, key=f"{event}:return", quantity=-quantity, **common)]
    if Kind.COMMISSION in sold:
        rate = sold[Kind.COMMISSION].rate
        rows.append(Entry(kind=Kind.COMMISSION_BACK, amount=commission.share(amount, rate), base=-amount, rate=rate,
                          key=f"{event}:commission_back", **common))
    if Kind.PAYMENT_FEE in sold:
        rate = sold[Kind.PAYMENT_FEE].rate
        rows.append(Entry(kind=Kind.PAYMENT_FEE_BACK, amount=commission.share(amount, rate), base=-amount,
                          rate=rate, key=f"{event}:fee_back", **common))
    written = _write(rows)
    paid_since = Entry.objects.filter(producer_id=sale.producer_id, kind=Kind.PAYOUT,
                                      occurred_at__gte=sale.occurred_at).exists()
    return Reversal(written, balance(sale.producer_id), paid_since)


@transaction.atomic
def record_refund(*, line, quantity: int, reference: str, amount=None, at: dt.datetime | None = None) -> Reversal:
    """An online line delivered and then returned or refunded (`quantity` units, `amount` đồng;
    default: those units' share of what was credited). `reference` is the refund's own reference
    (one reversal per reference and line). Refused: more units than delivered and not yet returned,
    more money than credited."""
    if amount is not None and Decimal(amount) == 0:
        return Reversal(0, balance(producer_id_of(line) or 0), False)  # goods back, no money back: nothing moves
    sale = Entry.objects.filter(event=f"online:line:{line.pk}", kind=Kind.SALE).first()
    if sale is not None and amount is None:
        amount = whole_dong(Decimal(sale.amount) * quantity / sale.quantity)
    return _reverse(sale_event=f"online:line:{line.pk}", event=f"refund:{reference}:line:{line.pk}", line=line,
                    quantity=int(quantity), amount=whole_dong(amount or 0), at=at or timezone.now(),
                    reference=str(reference)[:64])


def record_counter_return(pos_return) -> list[Reversal]:
    """Reverse what each line of a counter return credited (pos/returns.py, in the return's transaction)."""
    out = []
    with transaction.atomic():
        for row in pos_return.lines.select_related("line").order_by("pk"):
            out.append(_reverse(sale_event=f"counter:line:{row.line_id}", event=f"counter-return:{row.pk}",
                                line=row.line, quantity=row.quantity, amount=whole_dong(row.amount),
                                at=pos_return.created_at, reference=f"return-{pos_return.pk}"))
    return out


def balance(producer_id: int) -> int:
    return Entry.objects.filter(producer_id=producer_id).balance()


def window_days() -> int:
    return int(getattr(settings, "RETURN_WINDOW_DAYS", getattr(settings, "SETTLEMENT_RETURN_WINDOW_DAYS", 7)))


def pending(producer_id: int, *, now: dt.datetime | None = None) -> int:
    """Earnings still inside the return window: in the balance, not yet paid out."""
    since = (now or timezone.now()) - dt.timedelta(days=window_days())
    return Entry.objects.filter(producer_id=producer_id, kind__in=[k.value for k in _EARNINGS],
                                occurred_at__gt=since).balance()


_EARNINGS = (Kind.SALE, Kind.COMMISSION, Kind.SHIPPING, Kind.PAYMENT_FEE)

"""What a shift and a day add up to: the Z report of a shift, and the office's daily report of
online and counter sales side by side. Figures come from the orders, payments and movements."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from oscar.core.loading import get_model

from shop.order import statuses

from . import shifts
from .models import METHOD_CHOICES, PickupPayment, PosPayment, PosReturn, Shift

Order = get_model("order", "Order")
OrderLine = get_model("order", "Line")


@dataclass
class ZReport:
    shift: Shift
    sales: int
    gross: Decimal
    discounts: Decimal
    by_method: list[tuple[str, Decimal]]
    returns: list
    returns_total: Decimal
    movements: list
    top_products: list[dict]
    by_producer: list[dict]
    expected: Decimal
    counted: Decimal | None
    difference: Decimal | None
    denominations: list[tuple[int, int, Decimal]] = field(default_factory=list)
    # Online pick-up orders paid at this counter (pos/pickup.py): in the drawer, not counter sales.
    pickup_by_method: list[tuple[str, Decimal]] = field(default_factory=list)


def z_report(shift: Shift) -> ZReport:
    sales = shift.sales.select_related("order")
    totals = sales.aggregate(n=Count("pk"), gross=Sum("order__total_incl_tax"), discounts=Sum("discount"))
    paid = dict(PosPayment.objects.filter(sale__shift=shift).values_list("method").annotate(s=Sum("amount")))
    lines = OrderLine.objects.filter(order__pos_sale__shift=shift)
    top = list(lines.values("product_id", "title").annotate(quantity=Sum("quantity"), amount=Sum("line_price_incl_tax"))
               .order_by("-quantity", "title")[:10])
    producers = list(lines.values("product__producer__name").annotate(quantity=Sum("quantity"),
                                                                      amount=Sum("line_price_incl_tax"))
                     .order_by("product__producer__name"))
    pickup_paid = dict(PickupPayment.objects.filter(shift=shift).values_list("method").annotate(s=Sum("amount")))
    returns = list(PosReturn.objects.filter(shift=shift).select_related("sale__order").prefetch_related("lines"))
    counted = shift.counted or {}
    return ZReport(
        shift=shift, sales=totals["n"] or 0, gross=totals["gross"] or Decimal(0),
        discounts=totals["discounts"] or Decimal(0),
        by_method=[(label, paid.get(code, Decimal(0))) for code, label in METHOD_CHOICES],
        returns=returns, returns_total=sum((r.amount for r in returns), Decimal(0)),
        movements=list(shift.movements.all()), top_products=top,
        by_producer=[{"producer": p["product__producer__name"] or "-", "quantity": p["quantity"],
                      "amount": p["amount"]} for p in producers],
        expected=shift.expected if shift.expected is not None else shifts.expected_cash(shift),
        counted=shift.counted_total, difference=shift.difference,
        denominations=[(int(d), n, Decimal(int(d) * n)) for d, n in sorted(counted.items(), key=lambda i: -int(i[0]))],
        pickup_by_method=[(label, pickup_paid[code]) for code, label in METHOD_CHOICES if pickup_paid.get(code)],
    )


@dataclass(frozen=True)
class Day:
    day: dt.date
    online_orders: int
    online_total: Decimal
    pos_orders: int
    pos_total: Decimal


def daily(days: int = 14, today: dt.date | None = None) -> list[Day]:
    """Per local day, newest first: orders and takings online and at the counters (cancelled excluded)."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    rows = (Order.objects.filter(date_placed__gte=since).exclude(status=statuses.CANCELLED)
            .annotate(day=TruncDate("date_placed", tzinfo=timezone.get_current_timezone())).values("day")
            .annotate(online_n=Count("pk", filter=Q(pos_sale__isnull=True)),
                      online_s=Sum("total_incl_tax", filter=Q(pos_sale__isnull=True)),
                      pos_n=Count("pk", filter=Q(pos_sale__isnull=False)),
                      pos_s=Sum("total_incl_tax", filter=Q(pos_sale__isnull=False))))
    by_day = {row["day"]: row for row in rows}
    out = []
    for n in range(days):
        day = today - dt.timedelta(days=n)
        row = by_day.get(day, {})
        out.append(Day(day=day, online_orders=row.get("online_n") or 0, online_total=row.get("online_s") or Decimal(0),
                       pos_orders=row.get("pos_n") or 0, pos_total=row.get("pos_s") or Decimal(0)))
    return out

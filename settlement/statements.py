"""What a producer reads of their ledger: the statement lines of a period, the monthly chart, the
figures at the top of the page. Read-only; every figure is a sum of ledger rows."""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from html import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Entry, Kind, Payout
from .services import balance, pending


@dataclass
class StatementRow:
    date: dt.date
    document: str  # the order number (online) or the counter receipt's order number
    product: str
    quantity: int
    gross: int
    commission: int  # commission and fees, as a positive figure (returned ones negative)
    net: int
    kind: str
    channel: str


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def statement_rows(producer, *, start: dt.date, end: dt.date) -> list[StatementRow]:
    """One row per sale, return or shipping share between `start` and `end` (local days, inclusive)."""
    entries = (Entry.objects.filter(producer=producer, occurred_at__gte=_aware(start),
                                    occurred_at__lt=_aware(end + dt.timedelta(days=1)))
               .exclude(kind=Kind.PAYOUT).select_related("line").order_by("occurred_at", "pk"))
    events: OrderedDict[str, list[Entry]] = OrderedDict()
    for entry in entries:
        events.setdefault(entry.event, []).append(entry)
    rows = []
    for group in events.values():
        head = next((e for e in group if e.kind in (Kind.SALE, Kind.RETURN, Kind.SHIPPING)), group[0])
        gross = sum(e.amount for e in group if e.kind in (Kind.SALE, Kind.RETURN, Kind.SHIPPING))
        net = sum(e.amount for e in group)
        product = head.line.title if head.line_id else _("Shipping fee share")
        rows.append(StatementRow(date=timezone.localdate(head.occurred_at), document=head.reference,
                                 product=product, quantity=head.quantity, gross=gross, commission=gross - net,
                                 net=net, kind=head.kind, channel=head.channel))
    return rows


@dataclass
class Summary:
    balance: int
    pending: int
    available: int
    payouts: list


def summary(producer) -> Summary:
    now_balance = balance(producer.pk)
    waiting = pending(producer.pk)
    return Summary(balance=now_balance, pending=waiting, available=min(now_balance - max(waiting, 0), now_balance),
                   payouts=list(Payout.objects.filter(producer=producer).select_related("run")
                                .order_by("-run__period_end", "-pk")[:5]))


def months_back(today: dt.date, count: int) -> list[tuple[int, int]]:
    months, year, month = [], today.year, today.month
    for _i in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def monthly_net_by_product(producer, *, months: list[tuple[int, int]]) -> dict[str, dict[tuple[int, int], int]]:
    """Net (after commission, fees and returns) per product title and month."""
    start = dt.date(*months[0], 1)
    end = month_bounds(*months[-1])[1]
    out: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for row in statement_rows(producer, start=start, end=end):
        if row.kind == Kind.SHIPPING:
            continue
        out[row.product][(row.date.year, row.date.month)] += row.net
    return out


PALETTE = ("#1b7f5a", "#d9822b", "#2b6cb0", "#b83280", "#718096", "#c05621", "#2c7a7b", "#6b46c1")


def chart_svg(producer, *, today: dt.date | None = None, count: int = 6, top: int = 5) -> str:
    """Stacked bars of net sales per month, one colour per product (the `top` best, the rest as
    "Other"), drawn on the server: no script, readable on a phone (it scales to the width)."""
    today = today or timezone.localdate()
    months = months_back(today, count)
    data = monthly_net_by_product(producer, months=months)
    ranked = sorted(data, key=lambda title: -sum(data[title].values()))
    series = [(title, data[title]) for title in ranked[:top]]
    if len(ranked) > top:
        other = defaultdict(int)
        for title in ranked[top:]:
            for month, value in data[title].items():
                other[month] += value
        series.append((_("Other products"), other))
    width, height, left, bottom, top_pad = 420, 230, 54, 28, 12  # small viewBox: text stays readable on a phone
    plot_h = height - bottom - top_pad
    peak = max([sum(max(s[1].get(m, 0), 0) for s in series) for m in months] + [1]) * 1.1  # headroom
    slot = (width - left) / len(months)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 22 * len(series)}" '
             f'role="img" aria-labelledby="chart-title" class="settlement-chart" width="100%">',
             f'<title id="chart-title">{escape(_("Net sales per month by product"))}</title>']
    for step in range(0, 5):
        value = peak * step / 4
        y = top_pad + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end">'
                     f'{escape(_short(value))}</text>')
    for i, (year, month) in enumerate(months):
        x = left + slot * i + slot * 0.2
        y = top_pad + plot_h
        for n, (title, values) in enumerate(series):
            value = max(values.get((year, month), 0), 0)
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[n % len(PALETTE)]}"><title>{escape(title)} {month:02d}/{year}: '
                         f'{value:,} ₫</title></rect>'.replace(",", "."))
        parts.append(f'<text x="{x + slot * 0.3:.1f}" y="{height - 8}" font-size="12" text-anchor="middle">'
                     f'{month:02d}/{year % 100:02d}</text>')
    for n, (title, _values) in enumerate(series):
        y = height + 22 * n + 6
        parts.append(f'<rect x="{left - 40}" y="{y}" width="12" height="12" fill="{PALETTE[n % len(PALETTE)]}"/>'
                     f'<text x="{left - 22}" y="{y + 11}" font-size="13">{escape(title[:52])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f} tr".replace(".", ",")
    if value >= 1000:
        return f"{value / 1000:.0f} k"
    return f"{value:.0f}"

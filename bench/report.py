"""What the bench prints: the ratio, the table, and the little HTML reading it needs."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Oscar's product URL is /catalogue/<slug>_<pk>/; a category's is /catalogue/category/<slug>_<pk>/.
_PRODUCT_HREF = re.compile(r'href="(/(?:[a-z]{2}/)?catalogue/(?!category/)[^"/?#]+_\d+/)"')
# Oscar's results line, in any language: "Found <strong>236</strong> results" / "Tìm thấy <strong>236</strong> …"
_FOUND = re.compile(r"<strong>\s*(\d[\d.,\u00a0 ]*)\s*</strong>")


def first_product_link(html: str) -> str | None:
    """The first product card's link (searched from the first product_pod, so header and
    breadcrumb links never match), or None."""
    start = html.find("product_pod")
    match = _PRODUCT_HREF.search(html, max(start, 0))
    return match.group(1) if match else None


def count_products(html: str) -> int:
    """Product cards on the page (one page of results at most)."""
    return html.count('class="product_pod"')


def found_count(html: str) -> str:
    """How many results a search page says it found, else how many cards it shows ("≥N")."""
    cards = count_products(html)
    marker = html.find("<form method=\"get\">")
    match = _FOUND.search(html, max(marker, 0)) if marker >= 0 else None
    if match:
        number = int(re.sub(r"\D", "", match.group(1)))
        if number >= cards:  # a plausible total: at least what is on the page
            return str(number)
    return str(cards) if cards == 0 else f"≥{cards}"


def ratio(ours: float | None, plain: float | None) -> str:
    if not ours or not plain:
        return "—"
    return f"{ours / plain:.2f}×"


def fmt_rps(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


@dataclass
class Row:
    page: str
    ours: float | None = None
    plain: float | None = None
    queries: int | None = None
    notes: list[str] = field(default_factory=list)


HEADERS = ("page", "ours rps", "plain rps", "ratio (ours/plain)", "our queries", "notes")


def format_table(rows: list[Row]) -> str:
    cells = [
        (
            r.page,
            fmt_rps(r.ours),
            fmt_rps(r.plain),
            ratio(r.ours, r.plain),
            "—" if r.queries is None else str(r.queries),
            "; ".join(r.notes),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(HEADERS)]
    right = {1, 2, 3, 4}  # numbers line up on the right

    def line(values):
        out = [v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))]
        return " | ".join(out).rstrip()

    sep = "-+-".join("-" * w for w in widths)
    return "\n".join([line(HEADERS), sep, *(line(c) for c in cells)])

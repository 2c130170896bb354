"""A producer's stock as CSV: export, and an import that is checked in full before anything changes.

Columns: `sku, num_in_stock` and optionally `price` (whole đồng) and `low_stock_threshold`; comma or
semicolon; UTF-8 (with or without BOM: Excel's "CSV UTF-8"). The file is read as a stream and stops
at MAX_ROWS: a producer has dozens of products, so a bigger file is a mistake (the whole catalogue,
another export) and is refused with a clear message rather than read to the end. Values are
absolute, so importing the same file twice gives the same stock.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from shop.partner import stock
from shop.partner.scoping import StockRecord, own_stockrecords

REQUIRED = ("sku", "num_in_stock")
OPTIONAL = ("price", "low_stock_threshold")
MAX_ROWS = 5000
THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


@dataclass
class Checked:
    changes: list[dict] = field(default_factory=list)  # one per row: what it sets
    errors: list[str] = field(default_factory=list)  # "Line 7: …", in file order
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.changes)


def export_rows(partner):
    """The header and one row per stock record, ready for csv.writer (and for re-import as is)."""
    yield [*REQUIRED, *OPTIONAL, "title", "allocated"]
    records = own_stockrecords(partner).select_related("product").order_by("partner_sku")
    for record in records.iterator(chunk_size=500):
        price = "" if record.price is None else int(record.price)
        threshold = "" if record.low_stock_threshold is None else record.low_stock_threshold
        yield [record.partner_sku, record.num_in_stock or 0, price, threshold, record.product.get_title(),
               record.num_allocated or 0]


def _whole_number(raw: str, *, name: str) -> tuple[int | None, str | None]:
    raw = raw.strip()
    if name == "price" and THOUSANDS.match(raw):  # "185.000", as Vietnamese write prices
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None, _("%(column)s is not a number: “%(value)s”") % {"column": name, "value": raw}
    if value != value.to_integral_value():
        return None, _("%(column)s must be a whole number: “%(value)s”") % {"column": name, "value": raw}
    if value < 0:
        return None, _("%(column)s cannot be negative: %(value)s") % {"column": name, "value": raw}
    return int(value), None


def check(upload, partner) -> Checked:
    """Read and check every row against the producer's stock; nothing is written."""
    result = Checked()
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
    try:
        header_line = text.readline()
        dialect = ";" if header_line.count(";") > header_line.count(",") else ","
        header = [h.strip().lower() for h in next(csv.reader([header_line], delimiter=dialect), [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            result.errors.append(_("Line 1: the columns must be %(expected)s (optional: %(optional)s); "
                                   "missing: %(missing)s.") % {"expected": ", ".join(REQUIRED),
                                                               "optional": ", ".join(OPTIONAL),
                                                               "missing": ", ".join(missing)})
            return result
        rows = []
        for number, row in enumerate(csv.reader(text, delimiter=dialect), start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) >= MAX_ROWS:
                result.errors.append(_(
                    "The file has more than %(max)d rows: a stock file holds one row per product. Split it or "
                    "remove the rows that are not yours; nothing was imported.") % {"max": MAX_ROWS})
                return result
            rows.append((number, dict(zip(header, row, strict=False))))  # short rows: empty cells
    except UnicodeDecodeError:
        result.errors.append(_("The file is not UTF-8 text. In Excel choose “Save as → CSV UTF-8”, then upload "
                               "it again; nothing was imported."))
        return result
    finally:
        text.detach()
    result.rows = len(rows)
    _check_rows(rows, partner, result)
    return result


def _check_rows(rows, partner, result: Checked):
    skus = {(values.get("sku") or "").strip() for _, values in rows}
    mine = {r.partner_sku: r for r in own_stockrecords(partner).filter(partner_sku__in=skus)
            .select_related("product")}
    others = set(StockRecord.objects.filter(partner_sku__in=skus - set(mine)).values_list("partner_sku", flat=True))
    seen: dict[str, int] = {}
    for number, values in rows:
        sku = (values.get("sku") or "").strip()
        line_errors = []
        if not sku:
            line_errors.append(_("no SKU"))
        elif sku in seen:
            line_errors.append(_("SKU %(sku)s is already on line %(line)d") % {"sku": sku, "line": seen[sku]})
        elif sku in others:
            line_errors.append(_("SKU %(sku)s is not your product") % {"sku": sku})
        elif sku not in mine:
            line_errors.append(_("unknown SKU %(sku)s") % {"sku": sku})
        if sku:
            seen.setdefault(sku, number)
        change = {"line": number, "sku": sku}
        for name in (*REQUIRED[1:], *OPTIONAL):
            raw = (values.get(name) or "").strip()
            if not raw:
                if name in REQUIRED:
                    line_errors.append(_("%(column)s is empty") % {"column": name})
                continue
            value, error = _whole_number(raw, name=name)
            if error:
                line_errors.append(error)
            else:
                change[name] = value
        record = mine.get(sku)
        if record and "num_in_stock" in change and change["num_in_stock"] < (record.num_allocated or 0):
            line_errors.append(_("%(count)d units are allocated to orders: the stock cannot be lower")
                               % {"count": record.num_allocated})
        if line_errors:
            result.errors.append(_("Line %(line)d: %(errors)s.") % {"line": number, "errors": "; ".join(line_errors)})
        elif record:
            change.update(id=record.pk, title=record.product.get_title(), old_stock=record.num_in_stock,
                          old_price=None if record.price is None else int(record.price))
            result.changes.append(change)


@transaction.atomic
def apply(changes: list[dict], partner, *, actor=None, source=None) -> int:
    """Write the checked changes, all or none: each count through the stock ledger (reason IMPORT,
    linked to `source`, the StockImport), the other columns saved (so Oscar's stock alerts, and the
    low-stock notices, follow). Raises ValueError when a row no longer fits (units allocated since
    the preview)."""
    ids = [c["id"] for c in changes]
    records = {r.pk: r for r in own_stockrecords(partner).filter(pk__in=ids)}
    stock.lock_stockrecords(records)  # every row at once, in pk order, before the first write
    for change in changes:
        record = records.get(change["id"])
        if record is None:
            raise ValueError(_("Line %(line)d: SKU %(sku)s is not your product.") % change)
        try:
            stock.set_counted(stockrecord=record, counted=change["num_in_stock"], actor=actor,
                              reason=stock.Reason.IMPORT, source=source)
        except stock.StockError:
            raise ValueError(_("Line %(line)d: %(count)d units are allocated to orders: the stock cannot be "
                               "lower.") % {"line": change["line"], "count": record.num_allocated}) from None
        fields = []
        if "price" in change:
            record.price = Decimal(change["price"])
            fields.append("price")
        if "low_stock_threshold" in change:
            record.low_stock_threshold = change["low_stock_threshold"]
            fields.append("low_stock_threshold")
        record.save(update_fields=[*fields, "date_updated"])
    return len(changes)


def utf8_writer(response):
    """A CSV writer on an HTTP response, with the BOM Excel needs to read UTF-8."""
    response.write(codecs.BOM_UTF8.decode("utf-8"))
    return csv.writer(response)

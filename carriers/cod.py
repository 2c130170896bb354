"""COD reconciliation: the carriers' payout statements against the cash our parcels collected.

A statement is the file a carrier exports: XLSX (its first sheet) or CSV (UTF-8, comma or
semicolon). Columns are found by their
heading, accents and case ignored: the waybill ("Mã vận đơn", "Mã đơn hàng", order_code, label,
label_id), the COD paid out ("Tiền thu hộ", "Thu hộ", COD, cod_amount, pick_money) and optionally
the fee deducted ("Phí", "Tổng phí", fee, total_fee). Each line is kept once per carrier,
statement and waybill, so importing the same file twice adds nothing.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from .areas import fold
from .base import CarrierStatus
from .models import CodPayout, Shipment

WAYBILL = {"ma van don", "ma don hang", "ma don", "order_code", "label", "label_id", "waybill", "ma vd"}
AMOUNT = {"tien thu ho", "thu ho", "cod", "cod_amount", "pick_money", "tien cod"}
FEE = {"phi", "tong phi", "fee", "total_fee", "phi dich vu"}
MAX_ROWS = 20000


@dataclass
class ImportResult:
    added: int = 0
    already: int = 0
    errors: list[str] = field(default_factory=list)


def _money(text: str) -> Decimal | None:
    cleaned = str(text).strip().replace(".", "").replace(",", "").replace(" ", "").replace("đ", "").replace("₫", "")
    if not cleaned:
        return Decimal(0)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value == value.to_integral_value() and abs(value) < Decimal(10) ** 14 else None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows as text; whole numbers Excel stored as floats lose their ".0"."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True)):
            if number > MAX_ROWS + 1:
                break
            rows.append(["" if v is None else str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
                         for v in row])
        return rows
    finally:
        book.close()


def _rows(data: bytes, result: ImportResult) -> list[list[str]] | None:
    if data[:4] == b"PK\x03\x04":  # a zip: an Excel workbook
        try:
            return _xlsx_rows(data)
        except Exception:  # openpyxl raises many kinds for a damaged workbook
            result.errors.append(_("The Excel file could not be read."))
            return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(_("The file is not UTF-8 text (save it as CSV UTF-8)."))
        return None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def import_statement(*, carrier: str, statement: str, data: bytes) -> ImportResult:
    """Import a statement given as CSV (UTF-8, comma or semicolon) or XLSX (its first sheet)."""
    result = ImportResult()
    rows = _rows(data, result)
    if rows is None:
        return result
    if not rows:
        result.errors.append(_("The file is empty."))
        return result
    heads = [fold(h) for h in rows[0]]
    find = lambda names: next((i for i, h in enumerate(heads) if h in names), None)  # noqa: E731
    w, a, f = find(WAYBILL), find(AMOUNT), find(FEE)
    if w is None or a is None:
        result.errors.append(_("No waybill or COD column found in the first row."))
        return result
    if len(rows) > MAX_ROWS + 1:
        result.errors.append(_("More than %(rows)s rows.") % {"rows": MAX_ROWS})
        return result
    with transaction.atomic():
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            code = row[w].strip()[:64] if w < len(row) else ""
            amount = _money(row[a]) if a < len(row) else None
            fee = _money(row[f]) if f is not None and f < len(row) else Decimal(0)
            if not code or amount is None or fee is None:
                result.errors.append(_("Line %(line)s: no waybill code or an amount that is no whole number.") % {"line": number})
                continue
            shipment = Shipment.objects.filter(carrier=carrier, waybill=code).first()
            _payout, created = CodPayout.objects.get_or_create(
                carrier=carrier, statement=statement[:128], waybill=code,
                defaults={"amount": amount, "fee": fee, "shipment": shipment})
            result.added += int(created)
            result.already += int(not created)
    return result


@dataclass(frozen=True)
class Row:
    shipment: Shipment | None
    waybill: str
    collected: Decimal
    paid_out: Decimal

    @property
    def difference(self) -> Decimal:
        return self.paid_out - self.collected


def reconciliation():
    """(collected not yet paid out, mismatches, payouts for waybills we do not know)."""
    paid = {r["waybill"]: r["total"] for r in CodPayout.objects.values("waybill").annotate(total=Sum("amount"))}
    delivered = (Shipment.objects.filter(status=CarrierStatus.DELIVERED, cod_amount__gt=0)
                 .select_related("order", "partner").order_by("cod_collected_at"))
    waiting, mismatched = [], []
    known = set()
    for s in delivered:
        known.add(s.waybill)
        row = Row(shipment=s, waybill=s.waybill, collected=s.cod_amount, paid_out=paid.get(s.waybill, Decimal(0)))
        if s.waybill not in paid:
            waiting.append(row)
        elif row.difference != 0:
            mismatched.append(row)
    others = Shipment.objects.filter(waybill__in=[code for code in paid if code not in known])
    other_codes = {s.waybill: s for s in others}
    for code, total in paid.items():
        if code in known:
            continue
        s = other_codes.get(code)
        mismatched.append(Row(shipment=s, waybill=code, collected=Decimal(0), paid_out=total))
    return waiting, mismatched

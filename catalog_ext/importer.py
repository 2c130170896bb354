"""Import of the province's certificate list (CSV), shared by the dashboard and `import_certificates`.

Two steps. `parse_certificates(data)` reads and checks every row without writing anything and returns
an ImportResult (per-row errors with their line numbers, and which rows are new or unchanged).
`import_certificates(rows=…)` checks again inside one transaction and writes only when no row has an
error: all or nothing. A row whose (issuer, number) is already on record with the same facts is
"unchanged" and skipped, so the same file can be imported twice; the same number with other facts is
an error, never an overwrite.

Columns (header row; UTF-8 with or without BOM; comma or semicolon): see COLUMNS.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.text import fold

from . import rules
from .choices import CouncilLevel
from .models import Certificate
from .services import register_certificate

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

MAX_BYTES = 5 * 1024 * 1024
# The province lists about a hundred certificates; a cap keeps one preview a page, not a denial of service.
MAX_ROWS = 5000
REQUIRED = ("sku_or_upc", "producer", "stars", "score", "number", "issuer", "level", "issued_on")
OPTIONAL = ("expires_on", "potential_five", "score_a", "score_b", "score_c")
COLUMNS = REQUIRED + OPTIONAL
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
LEVELS = {"province": CouncilLevel.PROVINCE, "tinh": CouncilLevel.PROVINCE,
          "central": CouncilLevel.CENTRAL, "trung uong": CouncilLevel.CENTRAL}
YES = {"1", "yes", "co", "true", "x"}
NO = {"0", "no", "khong", "false"}
# Model field -> the CSV column the user should fix.
COLUMN_OF = {"product": "sku_or_upc"}


@dataclass
class RowResult:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    unchanged: bool = False
    fields: dict = field(default_factory=dict)

    @property
    def status(self) -> str:
        return "error" if self.errors else ("unchanged" if self.unchanged else "new")

    @property
    def cells(self) -> list[str]:
        return [self.values.get(column, "") for column in COLUMNS]

    def error(self, column: str, message: str):
        self.errors.append(f"{column}: {message}" if column else str(message))


@dataclass
class ImportResult:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    created: list[Certificate] = field(default_factory=list)
    raw: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(r.errors for r in self.rows)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new_count(self) -> int:
        return self.count("new")

    @property
    def unchanged_count(self) -> int:
        return self.count("unchanged")

    @property
    def error_count(self) -> int:
        return self.count("error")

    @property
    def error_lines(self) -> list[str]:
        """Every problem as one line of text, for the command line."""
        return list(self.file_errors) + [_("line %(line)s: %(error)s") % {"line": r.line, "error": e}
                                          for r in self.rows for e in r.errors]

    def raw_rows(self) -> list[dict]:
        """What to keep between preview and confirmation (JSON-serialisable)."""
        return self.raw


def parse_certificates(data: bytes) -> ImportResult:
    """Read and check a CSV file; writes nothing."""
    rows, errors = read_rows(data)
    if errors:
        return ImportResult(file_errors=errors)
    return validate_rows(rows)


def read_rows(data: bytes) -> tuple[list[dict], list[str]]:
    """The file's data rows as {"line", "values"}, or the reasons it cannot be read at all."""
    if len(data) > MAX_BYTES:
        return [], [_("The file is larger than %(mb)s MB: split it into smaller files.") % {"mb": MAX_BYTES // 2**20}]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("The file is not UTF-8 text. In Excel, save it as \"CSV UTF-8 (comma delimited)\".")]
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        return [], [_("The file is empty.")]
    header_line = lines[header_index]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    if delimiter not in header_line:
        if "\t" in header_line:
            return [], [_("Columns must be separated by a comma or a semicolon; this file uses tabs.")]
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        records = [(reader.line_num, record) for record in reader]
    except csv.Error as exc:
        return [], [_("The file cannot be read as CSV: %(error)s") % {"error": exc}]
    records = [(line, record) for line, record in records if any(cell.strip() for cell in record)]
    header_line_no, header = records[0]
    names = [cell.strip().lower().lstrip("\ufeff") for cell in header]
    errors = _header_errors(names)
    if errors:
        return [], errors
    rows = []
    for line, record in records[1:]:
        if len(record) > len(names):
            rows.append({"line": line, "values": {}, "width": len(record), "columns": len(names)})
            continue
        cells = [cell.strip() for cell in record] + [""] * (len(names) - len(record))
        rows.append({"line": line, "values": dict(zip(names, cells, strict=True))})
    if not rows:
        return [], [_("The file has a header row but no certificates.")]
    if len(rows) > MAX_ROWS:
        return [], [_("The file has %(rows)s certificates; import at most %(max)s at a time.") % {
            "rows": len(rows), "max": MAX_ROWS}]
    return rows, []


def _header_errors(names: list[str]) -> list[str]:
    expected = ", ".join(COLUMNS)
    if not set(names) & set(REQUIRED):
        return [_("The first row must be the header naming the columns (%(columns)s), separated by commas or "
                  "semicolons.") % {"columns": expected}]
    errors = []
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        errors.append(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    unknown = [c for c in names if c not in COLUMNS]
    if unknown:
        errors.append(_("Unknown column(s): %(columns)s. The columns are: %(expected)s.") % {
            "columns": ", ".join(unknown) or '""', "expected": expected})
    repeated = sorted({c for c in names if names.count(c) > 1})
    if repeated:
        errors.append(_("Column(s) named twice: %(columns)s.") % {"columns": ", ".join(repeated)})
    return errors


def validate_rows(raw_rows: list[dict]) -> ImportResult:
    """Check every row against the catalogue, the rules and the certificates on record."""
    rows = [RowResult(line=raw["line"], values=dict(raw["values"])) for raw in raw_rows]
    for raw, row in zip(raw_rows, rows, strict=True):
        if "width" in raw:
            row.error("", _("%(found)s values, but the header has %(expected)s columns (a comma or semicolon "
                            "inside a value must be quoted).") % {"found": raw["width"], "expected": raw["columns"]})
    products = _products_by_key({row.values.get("sku_or_upc", "") for row in rows if not row.errors})
    existing = _existing({row.values.get("number", "") for row in rows if not row.errors})
    first_line: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.errors:
            continue
        _parse(row, products)
        key = (row.values["issuer"], row.values["number"])
        if all(key):
            if key in first_line:
                row.error("number", _("certificate %(number)s of %(issuer)s is already on line %(line)s.") % {
                    "number": key[1], "issuer": key[0], "line": first_line[key]})
            else:
                first_line[key] = row.line
        # The rules need the product, stars, score, level and issue date; with those, report every
        # rule broken too, so one preview shows all there is to fix on the line.
        if not _checkable(row):
            continue
        if key in existing:
            _compare(row, existing[key])
        else:
            _check_rules(row)
    return ImportResult(rows=rows, raw=list(raw_rows))


def _checkable(row: RowResult) -> bool:
    f = row.fields
    return (all(f.get(name) is not None for name in ("product", "stars", "score", "level", "issued_on"))
            and f["stars"] in rules.STAR_BANDS and f["score"] >= 0)


def _products_by_key(keys: set[str]) -> dict[str, list]:
    """sku_or_upc -> the products it names (a stock record's SKU or the product's UPC)."""
    keys.discard("")
    ids: dict[str, set[int]] = defaultdict(set)
    for sku, product_id in StockRecord.objects.filter(partner_sku__in=keys).values_list("partner_sku", "product_id"):
        ids[sku].add(product_id)
    for upc, product_id in Product.objects.filter(upc__in=keys).values_list("upc", "pk"):
        ids[upc].add(product_id)
    products = Product.objects.select_related("producer").in_bulk({pk for found in ids.values() for pk in found})
    return {key: [products[pk] for pk in sorted(found)] for key, found in ids.items()}


def _existing(numbers: set[str]) -> dict[tuple[str, str], Certificate]:
    numbers.discard("")
    return {(c.issuer, c.number): c for c in Certificate.objects.filter(number__in=numbers)}


def _parse(row: RowResult, products: dict[str, list]):
    v = row.values
    for column in REQUIRED:
        if not v.get(column):
            row.error(column, _("required."))
    f = row.fields
    key = v.get("sku_or_upc", "")
    found = products.get(key, [])
    if key and not found:
        row.error("sku_or_upc", _("no product has SKU or UPC %(key)s.") % {"key": key})
    elif len(found) > 1:
        row.error("sku_or_upc", _("%(key)s names more than one product; use the product's UPC.") % {"key": key})
    elif found:
        product = f["product"] = found[0]
        producer = product.producer
        given = v.get("producer", "")
        if producer is None:
            row.error("producer", _("the product %(product)s has no producer in the shop.") % {"product": product.title})
        elif given and given != producer.code and fold(given).strip() != fold(producer.name).strip():
            row.error("producer", _("%(given)s does not match the product's producer (%(producer)s).") % {
                "given": given, "producer": producer.name})
    for column in ("stars", "score", "score_a", "score_b", "score_c"):
        if v.get(column):
            try:
                f[column] = int(v[column])
            except ValueError:
                row.error(column, _("%(value)s is not a whole number.") % {"value": v[column]})
        else:
            f[column] = None
    if f.get("stars") is not None and f["stars"] not in rules.STAR_BANDS:
        row.error("stars", _("must be 3, 4 or 5."))
    if v.get("level"):
        level = LEVELS.get(fold(v["level"]).strip())
        if level is None:
            row.error("level", _("%(value)s is not a council level (province, central, tỉnh or trung ương).") % {
                "value": v["level"]})
        f["level"] = level
    for column in ("issued_on", "expires_on"):
        f[column] = _date(row, column)
    flag = fold(v.get("potential_five", "")).strip()
    f["potential_five"] = flag in YES
    if flag and flag not in YES and flag not in NO:
        row.error("potential_five", _("%(value)s is not yes or no (1/0, yes/no, có/không).") % {
            "value": v["potential_five"]})
    f["number"], f["issuer"] = v.get("number", ""), v.get("issuer", "")


def _date(row: RowResult, column: str) -> dt.date | None:
    value = row.values.get(column, "")
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    row.error(column, _("%(value)s is not a date (use YYYY-MM-DD or DD/MM/YYYY).") % {"value": value})
    return None


def _check_rules(row: RowResult):
    """The model's own rules (star band, council level, dates…), as the dashboard form runs them."""
    f = row.fields
    certificate = Certificate(**{**f, "expires_on": f["expires_on"] or rules.default_expiry(f["issued_on"])})
    try:
        # Uniqueness is settled above (on record: _compare; within the file: first_line), and the
        # check constraints repeat clean()'s rules: skip their per-row queries. Writing runs them all.
        certificate.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                row.error("" if name == NON_FIELD_ERRORS else COLUMN_OF.get(name, name), message)


def _compare(row: RowResult, certificate: Certificate):
    """Same number already on record: unchanged when every fact the row gives agrees, else an error."""
    f = row.fields
    wanted = {"product": f["product"].pk, "stars": f["stars"], "score": f["score"], "level": f["level"],
              "issued_on": f["issued_on"], "expires_on": f["expires_on"] or rules.default_expiry(f["issued_on"])}
    for column in ("score_a", "score_b", "score_c"):
        if f[column] is not None:
            wanted[column] = f[column]
    if row.values.get("potential_five"):
        wanted["potential_five"] = f["potential_five"]
    on_record = {name: (certificate.product_id if name == "product" else getattr(certificate, name)) for name in wanted}
    differ = [COLUMN_OF.get(name, name) for name in wanted if wanted[name] != on_record[name]]
    if differ:
        row.error("number", _("certificate %(number)s of %(issuer)s is already on record with a different "
                              "%(columns)s; an import never overwrites it (correct it in the dashboard).") % {
            "number": certificate.number, "issuer": certificate.issuer, "columns": ", ".join(differ)})
    else:
        row.unchanged = True


def import_certificates(*, rows: list[dict]) -> ImportResult:
    """Check the rows again and write the new certificates, all in one transaction, or nothing."""
    try:
        with transaction.atomic():
            result = validate_rows(rows)
            if not result.ok:
                return result
            for row in result.rows:
                if row.status == "new":
                    result.created.append(register_certificate(**row.fields))
    except (ValidationError, IntegrityError):
        # Another import or a dashboard user recorded one of these numbers meanwhile: check afresh.
        result = validate_rows(rows)
        if result.ok:
            result.file_errors.append(_("The certificates changed while importing; please import again."))
    return result

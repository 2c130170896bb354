"""Every CSV the shop writes goes through here, so no cell can be read as a spreadsheet formula.

Issue 20: a guest named `=HYPERLINK("https://…","Bấm")` became a live formula in the office's order
export (and a producer's product name in the stock export). Excel, LibreOffice and Google Sheets run
a cell that starts with = + - @ (and a tab or carriage return before them); such a text cell gets a
leading apostrophe, which spreadsheets show as text (OWASP's "CSV Injection" advice). Numbers are
written as numbers. Writers: csv_safe.writer() for a csv.writer, SafeUnicodeCSVWriter for Oscar's
UnicodeCSVWriter (the dashboard's order download and Oscar's report formatters).
tests/core/test_csv_safe.py fails when code of ours makes a csv.writer elsewhere.
"""
from __future__ import annotations

import csv
from decimal import Decimal

from oscar.core.compat import UnicodeCSVWriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """The cell as a spreadsheet will show it, never run it."""
    if value is None or isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(row) -> list:
    return [safe_cell(value) for value in row]


class SafeWriter:
    """A csv.writer whose every cell goes through safe_cell()."""

    def __init__(self, file, *args, **kwargs):
        self._writer = csv.writer(file, *args, **kwargs)

    def writerow(self, row):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(file, *args, **kwargs) -> SafeWriter:
    return SafeWriter(file, *args, **kwargs)


class SafeUnicodeCSVWriter(UnicodeCSVWriter):
    """Oscar's Excel-friendly writer, with every cell through safe_cell()."""

    def writerow(self, row):
        return super().writerow(safe_row(row))

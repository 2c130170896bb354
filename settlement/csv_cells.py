"""CSV cells a spreadsheet cannot run: a text cell starting with = + - @ or a tab/CR is prefixed
with an apostrophe (OWASP's CSV injection advice). Numbers stay numbers.
(Private until core/csv_safe.py lands on main; then this module gives way to it.)"""
from __future__ import annotations

import csv

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def writer(stream):
    """A csv writer whose rows are made safe; a BOM first so Excel reads the Vietnamese as UTF-8."""
    stream.write("\ufeff")
    inner = csv.writer(stream)

    class Safe:
        def writerow(self, row):
            return inner.writerow([cell(v) for v in row])

    return Safe()

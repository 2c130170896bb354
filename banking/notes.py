"""Reading an order number out of a bank transfer note.

The shop asks for the order number alone as the note (shop/payment/vietqr.py), but what reaches
us is the note as the banks pass it on: upper-cased, with the sending bank's prefix and reference
("MBVCB.3278907687.100042.NGUYEN VAN A CHUYEN TIEN"), spaces inserted ("1000 42"), or the number
glued to a word ("DH100042"). Order numbers are digits (Oscar's generator: 100000 + basket id),
so every run of digits is a candidate, and so is every run rebuilt across single spaces. The
database decides which candidates are orders; a run inside a longer run of digits (a bank
reference) is never taken, because a false match could mark the wrong order paid.
"""
from __future__ import annotations

import re

MIN_DIGITS, MAX_DIGITS = 6, 20
_RUNS = re.compile(r"\d+")
_SPACED = re.compile(r"\d+(?: \d+)+")


def candidate_numbers(note: str) -> list[str]:
    """Candidate order numbers in `note`, in the order they appear, each once."""
    if not isinstance(note, str):
        return []
    text = " ".join(note.split())  # tabs, newlines and runs of spaces become one space
    found: list[str] = []
    for match in _RUNS.finditer(text):
        found.append(match.group())
    for match in _SPACED.finditer(text):
        groups = match.group().split(" ")
        for start in range(len(groups)):  # every stretch of two or more neighbouring groups
            for end in range(start + 2, len(groups) + 1):
                found.append("".join(groups[start:end]))
    seen: set[str] = set()
    out = []
    for number in found:
        if MIN_DIGITS <= len(number) <= MAX_DIGITS and number not in seen:
            seen.add(number)
            out.append(number)
    return out

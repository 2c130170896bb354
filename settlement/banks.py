"""Banks a producer can be paid at: NAPAS 247 members by BIN (the 6 digits a VietQR code names),
read from data/napas_banks.csv (the BINs of NAPAS' published member list; add a row when a bank
joins)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "napas_banks.csv"


@dataclass(frozen=True)
class Bank:
    bin: str
    code: str
    short_name: str
    name: str

    def __str__(self):
        return f"{self.short_name} — {self.name}"


@cache
def banks() -> dict[str, Bank]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["bin"]: Bank(**row) for row in csv.DictReader(handle)}


def bank(bin_: str) -> Bank | None:
    return banks().get(str(bin_))


def choices() -> list[tuple[str, str]]:
    return sorted(((b.bin, str(b)) for b in banks().values()), key=lambda c: c[1].lower())

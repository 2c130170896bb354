"""Vietnam's provinces and wards/communes as addresses use them since 1 July 2025 (two levels,
no district), from the `vietnam-provinces` package. One place answers "which province is this"
and "is this ward in that province", for the forms, the wards endpoint and the shipping zones."""
from __future__ import annotations

from functools import cache

from vietnam_provinces import Province, Ward

from core.text import fold

SON_LA = 14  # the shop's home province: first in every list and the default


def _sort_key(name: str) -> str:
    # "Thành phố Hà Nội" is looked for under H, not T.
    return fold(name.removeprefix("Thành phố "))


@cache
def provinces() -> tuple[tuple[int, str], ...]:
    """(code, name) of the 34 provinces and centrally-run cities, Sơn La first, then A–Z."""
    rest = sorted(((p.code.value, p.name) for p in Province.iter_all() if p.code.value != SON_LA),
                  key=lambda cn: _sort_key(cn[1]))
    return ((SON_LA, province_name(SON_LA)), *rest)


@cache
def _province_names() -> dict[int, str]:
    return {p.code.value: p.name for p in Province.iter_all()}


def province_name(code: int | None) -> str:
    """The province's name, or '' for an unknown code."""
    return _province_names().get(code, "") if isinstance(code, int) else ""


@cache
def wards(province_code: int) -> tuple[tuple[int, str], ...]:
    """(code, name) of the province's wards and communes, A–Z without accents; () if unknown."""
    if province_code not in _province_names():
        return ()
    found = ((w.code.value, w.name) for w in Ward.iter_by_province(province_code))
    return tuple(sorted(found, key=lambda cn: fold(cn[1])))


def ward(code: int | None):
    """The Ward for a code, or None when the code is unknown (typo, overflow, old district-era code)."""
    if not isinstance(code, int) or code <= 0:
        return None
    try:
        return Ward.from_code(code)
    except (ValueError, KeyError, OverflowError):
        return None


def province_code_by_name(name: str) -> int | None:
    """A province from its written name ("Sơn La", "tinh son la", "TP Hà Nội"), for addresses kept
    before the codes were stored."""
    wanted = fold(name or "").removeprefix("tinh ").removeprefix("thanh pho ").removeprefix("tp ").strip()
    for code, pname in _province_names().items():
        if fold(pname).removeprefix("thanh pho ") == wanted:
            return code
    return None


# ---------------------------------------------------------------- Sơn La's own wards (OCOP filters, producers)
@cache
def son_la_wards() -> tuple[tuple[int, str], ...]:
    """(code, name) of the province's wards and communes, sorted the way a reader looks for
    them (accents folded)."""
    wards = [(w.code.value, w.name) for w in Ward.iter_by_province(SON_LA)]
    return tuple(sorted(wards, key=lambda cw: fold(cw[1])))


def ward_code(name: str) -> int:
    """The code of a Sơn La ward or commune by its exact current name."""
    for code, ward in son_la_wards():
        if ward == name:
            return code
    raise KeyError(f"{name!r} is not a ward or commune of {province_name(SON_LA)}")


def ward_name(code: int | None) -> str:
    """The current (2025) name of a ward or commune, or '' for an unknown code."""
    if not code:
        return ""
    try:
        return Ward.from_code(code).name
    except (ValueError, KeyError):
        return ""

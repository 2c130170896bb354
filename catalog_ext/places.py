"""Sơn La's wards and communes, from `vietnam-provinces` (two-level units since 1 July 2025)."""
from __future__ import annotations

from functools import cache

from vietnam_provinces import Province, Ward

from .text import fold

SON_LA_NAME = "Sơn La"


@cache
def son_la_code() -> int:
    return next(p.code.value for p in Province.iter_all() if p.name == SON_LA_NAME)


@cache
def son_la_wards() -> tuple[tuple[int, str], ...]:
    """(code, name) of the province's 75 wards and communes, sorted the way a reader looks for
    them (accents folded)."""
    wards = [(w.code.value, w.name) for w in Ward.iter_by_province(son_la_code())]
    return tuple(sorted(wards, key=lambda cw: fold(cw[1])))


def ward_code(name: str) -> int:
    """The code of a Sơn La ward or commune by its exact current name."""
    for code, ward in son_la_wards():
        if ward == name:
            return code
    raise KeyError(f"{name!r} is not a ward or commune of {SON_LA_NAME}")

"""Which carriers are configured (by environment), and which one the shop uses by default.
A new carrier (Viettel Post, VNPost) is one module with a Carrier subclass, listed here."""
from __future__ import annotations

from django.conf import settings

from .base import Carrier
from .ghn import GHN
from .ghtk import GHTK

ADAPTERS = {GHN.code: GHN, GHTK.code: GHTK}


def get(code: str) -> Carrier | None:
    adapter = ADAPTERS.get(code)
    return adapter.from_settings() if adapter else None


def configured() -> list[Carrier]:
    return [c for c in (get(code) for code in ADAPTERS) if c is not None]


def default() -> Carrier | None:
    """CARRIER_DEFAULT when it is configured, else the first configured carrier, else None (manual)."""
    chosen = get(settings.CARRIER_DEFAULT) if settings.CARRIER_DEFAULT else None
    if chosen is not None:
        return chosen
    found = configured()
    return found[0] if found else None

"""Shipping zones and rates: the one table that prices delivery by destination and weight.

Zones are set by province code (`vietnam-provinces`, 34 units since 1 July 2025). Prices are
whole đồng: a base for the first kilogram, then a rate per started kilogram over it."""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from core.places import SON_LA, province_code_by_name

LOCAL, NORTH, NATIONAL = "local", "north", "national"

# The northern provinces and cities (the Red River delta and the northern midlands and
# mountains), where parcels from Sơn La travel one or two days.
NORTHERN_PROVINCES = frozenset({
    1,   # Hà Nội
    4,   # Cao Bằng
    8,   # Tuyên Quang
    11,  # Điện Biên
    12,  # Lai Châu
    15,  # Lào Cai
    19,  # Thái Nguyên
    20,  # Lạng Sơn
    22,  # Quảng Ninh
    24,  # Bắc Ninh
    25,  # Phú Thọ
    31,  # Hải Phòng
    33,  # Hưng Yên
    37,  # Ninh Bình
})

# zone -> method -> (first kg, each further started kg), đồng
RATES = {
    LOCAL: {"standard": (Decimal(20000), Decimal(5000)), "express": (Decimal(35000), Decimal(8000))},
    NORTH: {"standard": (Decimal(30000), Decimal(8000)), "express": (Decimal(50000), Decimal(12000))},
    NATIONAL: {"standard": (Decimal(40000), Decimal(10000)), "express": (Decimal(70000), Decimal(15000))},
}


# One province of each zone, cheapest first (None: anywhere further), for a price range before the
# address is known (shop/shipping/methods.py DeliveryEstimate).
EXAMPLE_PROVINCES = {LOCAL: SON_LA, NORTH: 1, NATIONAL: None}


def zone_for_province(code: int | None) -> str:
    if code == SON_LA:
        return LOCAL
    if code in NORTHERN_PROVINCES:
        return NORTH
    return NATIONAL  # also when unknown: a quote never under-charges


def zone_for_address(address) -> str:
    """The zone of a shipping or user address; the written province name serves for addresses
    kept before the codes were stored. No address yet (the basket's estimate): national."""
    if address is None:
        return NATIONAL
    code = getattr(address, "province_code", None)
    if not code:  # no written name (the estimate's province-only address) names no province: not looked up
        name = getattr(address, "state", "")
        code = province_code_by_name(name) if name else None
    return zone_for_province(code)


def price(*, zone: str, method: str, weight_kg: Decimal) -> Decimal:
    first, further = RATES[zone][method]
    started_kg = weight_kg.to_integral_value(rounding=ROUND_CEILING)
    return first + further * max(Decimal(0), started_kg - 1)

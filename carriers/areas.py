"""Our wards (vietnam-provinces codes, two levels since 1 July 2025) in each carrier's terms.

GHN prices and delivers by its own district id and ward code (its master data, still three
levels); GHTK by names (province, district, ward). CarrierArea rows hold the mapping, filled by
`manage.py sync_carrier_areas ghn` from GHN's master data and editable in the admin. A ward with
no mapping gets no carrier quote (the zone table prices it) and no waybill until it is mapped.
"""
from __future__ import annotations

import unicodedata

from vietnam_provinces import Province, Ward

from .base import Place
from .models import CarrierArea

PREFIXES = ("thanh pho ", "tinh ", "phuong ", "xa ", "thi tran ", "dac khu ", "quan ", "huyen ", "thi xa ")


def fold(text: str) -> str:
    """Lower case, no accents, đ as d, administrative prefix removed: "Phường Tô Hiệu" -> "to hieu"."""
    text = unicodedata.normalize("NFD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = " ".join(text.replace(".", " ").split())
    for prefix in PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def names(ward_code: int | None) -> tuple[str, str] | None:
    """(province name, ward name) of one of our ward codes, or None."""
    if not isinstance(ward_code, int) or ward_code <= 0:
        return None
    try:
        ward = Ward.from_code(ward_code)
        province = Province.from_code(ward.province_code)
    except (ValueError, KeyError, OverflowError, AttributeError):
        return None
    return province.name, ward.name


def place(carrier_code: str, ward_code: int | None, street: str = "") -> Place | None:
    found = names(ward_code)
    if found is None:
        return None
    area = CarrierArea.objects.filter(carrier=carrier_code, ward_code=str(ward_code)).first()
    if carrier_code == "ghn":
        if area is None or not (area.carrier_district and area.carrier_ward):
            return None
        return Place(province=area.carrier_province, district=area.carrier_district, ward=area.carrier_ward,
                     street=street)
    province, ward = found
    return Place(province=area.carrier_province if area and area.carrier_province else province,
                 district=area.carrier_district if area else "",
                 ward=area.carrier_ward if area and area.carrier_ward else ward, street=street)


def sync_ghn(carrier, *, timeout: float = 10) -> tuple[int, list[str]]:
    """Map our wards to GHN's master data by name (province by name, then the ward by name within
    that province's districts). Returns (wards mapped, our wards GHN has no ward of that name for:
    merged in 2025 under a new name, map them in the admin)."""
    ours_by_province: dict[str, list] = {}
    for province in Province.iter_all():
        ours_by_province[fold(province.name)] = list(Ward.iter_by_province(province.code.value))
    mapped, unmatched = 0, []
    for ghn_province in carrier.provinces(timeout=timeout):
        ours = ours_by_province.get(fold(ghn_province.get("ProvinceName", "")))
        if not ours:
            continue
        ghn_wards: dict[str, tuple[str, str]] = {}
        for district in carrier.districts(ghn_province["ProvinceID"], timeout=timeout):
            for ward in carrier.wards(district["DistrictID"], timeout=timeout):
                ghn_wards.setdefault(fold(ward.get("WardName", "")), (str(district["DistrictID"]), str(ward["WardCode"])))
        for ward in ours:
            found = ghn_wards.get(fold(ward.name))
            if found is None:
                unmatched.append(f"{ward.code.value} {ward.name}")
                continue
            CarrierArea.objects.update_or_create(
                carrier="ghn", ward_code=str(ward.code.value),
                defaults={"province_code": str(ghn_province["ProvinceID"]), "carrier_province": str(ghn_province["ProvinceID"]),
                          "carrier_district": found[0], "carrier_ward": found[1]})
            mapped += 1
    return mapped, unmatched

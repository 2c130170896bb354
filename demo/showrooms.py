"""Demo step: Sơn La's 12 OCOP showrooms (điểm trưng bày, giới thiệu và bán sản phẩm OCOP; the
seeds count 12 across the province). The wards and communes are real; the names, streets and
phone numbers are invented for the demo (slugs start with demo-, streets end with "(demo)").
Showrooms stand where people pass (Decision 950/QĐ-BCT): town centres, highway stops, tourist sites."""
from __future__ import annotations

from core.places import ward_code
from showrooms.models import Showroom

HOURS = "Thứ Hai – Chủ Nhật: 7:30 – 21:00"
HOURS_OFFICE = "Thứ Hai – Thứ Bảy: 7:30 – 17:30"

# (slug, name, ward or commune, street, phone, opening hours)
SHOWROOMS = (
    ("demo-to-hieu", "Điểm OCOP Trung tâm Sơn La", "Phường Tô Hiệu", "Số 8 đường Tô Hiệu", "0212 385 2001", HOURS),
    ("demo-chieng-coi", "Điểm OCOP Chiềng Cơi", "Phường Chiềng Cơi", "Số 25 đường Lê Duẩn", "0212 385 2002", HOURS),
    ("demo-chieng-sinh", "Điểm OCOP Chiềng Sinh (QL6)", "Phường Chiềng Sinh", "Số 120 Quốc lộ 6", "0212 385 2003",
     HOURS),
    ("demo-moc-chau", "Điểm OCOP Mộc Châu", "Phường Mộc Châu", "Số 15 đường 19/5", "0212 386 2004", HOURS),
    ("demo-thao-nguyen", "Điểm OCOP Thảo Nguyên (đồi chè)", "Phường Thảo Nguyên", "Tiểu khu 84", "0212 386 2005",
     HOURS),
    ("demo-van-ho", "Điểm OCOP Vân Hồ (trạm dừng QL6)", "Xã Vân Hồ", "Km 170 Quốc lộ 6", "0212 386 2006", HOURS),
    ("demo-yen-chau", "Điểm OCOP Yên Châu", "Xã Yên Châu", "Số 2 tiểu khu 1", "0212 387 2007", HOURS_OFFICE),
    ("demo-mai-son", "Điểm OCOP Mai Sơn (Hát Lót)", "Xã Mai Sơn", "Số 40 tiểu khu 3", "0212 384 2008",
     HOURS_OFFICE),
    ("demo-thuan-chau", "Điểm OCOP Thuận Châu", "Xã Thuận Châu", "Số 10 tiểu khu 14", "0212 384 2009",
     HOURS_OFFICE),
    ("demo-phu-yen", "Điểm OCOP Phù Yên", "Xã Phù Yên", "Số 6 đường Trần Phú", "0212 386 2010", HOURS_OFFICE),
    ("demo-muong-la", "Điểm OCOP Mường La", "Xã Mường La", "Số 3 tiểu khu 2", "0212 383 2011", HOURS_OFFICE),
    ("demo-ta-xua", "Điểm OCOP Tà Xùa (du lịch cộng đồng)", "Xã Tà Xùa", "Bản Tà Xùa", "0212 386 2012", HOURS),
)


def load(stdout) -> dict:
    created = 0
    for slug, name, ward, street, phone, hours in SHOWROOMS:
        _, made = Showroom.objects.get_or_create(slug=slug, defaults={
            "name": name, "ward_code": ward_code(ward), "street": f"{street} (demo)", "phone": phone,
            "opening_hours": hours, "is_active": True})
        created += made
    return {"showrooms": created}

"""A local stand-in for GHN's public API (https://api.ghn.vn/home/docs/detail), as the shop calls it:
every request must carry the Token and ShopId headers; answers are {"code", "message", "data"}.

POST /shiip/public-api/v2/shipping-order/fee      fee for from/to district and ward, weight, service
POST /shiip/public-api/v2/shipping-order/create   a shipping order: order_code, total_fee
POST /shiip/public-api/v2/shipping-order/detail   its current status
POST /shiip/public-api/v2/switch-status/cancel    cancel while not picked up
POST /shiip/public-api/v2/a5/gen-token, GET /a5/public-api/printA5?token=   the printable label
GET  /shiip/public-api/master-data/province, POST …/district, POST …/ward
`set_status(code, status)` plays GHN moving the parcel; `webhook(code)` is the callback GHN posts.
"""
from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field

from .fake_http import FakeServer, Recorded

TOKEN, SHOP_ID = "ghn-test-token-5f1c", "885"
PREFIX = "/shiip/public-api"
REQUIRED_CREATE = ("to_name", "to_phone", "to_address", "to_ward_code", "to_district_id", "weight",
                   "service_type_id", "payment_type_id", "required_note", "items")
CANCELLABLE = ("ready_to_pick", "picking", "money_collect_picking")
# A small piece of GHN's master data: Sơn La and Hà Nội (three levels, as GHN still has them).
PROVINCES = [{"ProvinceID": 208, "ProvinceName": "Sơn La"}, {"ProvinceID": 201, "ProvinceName": "Hà Nội"}]
DISTRICTS = {208: [{"DistrictID": 2003, "ProvinceID": 208, "DistrictName": "Thành phố Sơn La"}],
             201: [{"DistrictID": 1485, "ProvinceID": 201, "DistrictName": "Quận Ba Đình"}]}
WARDS = {2003: [{"WardCode": "280101", "DistrictID": 2003, "WardName": "Phường Tô Hiệu"},
                {"WardCode": "280102", "DistrictID": 2003, "WardName": "Phường Chiềng Lề"}],
         1485: [{"WardCode": "1A0101", "DistrictID": 1485, "WardName": "Phường Ba Đình"}]}


def fee_for(weight: int, express: bool) -> int:
    """GHN's price in this fake: 22.000 ₫ to 500 g, 5.000 ₫ per further started 500 g, express +50%."""
    base = 22000 + 5000 * max(0, (weight - 1) // 500)
    return base * 3 // 2 if express else base


@dataclass
class FakeGHN(FakeServer):
    name = "ghn"
    orders: dict = field(default_factory=dict)
    _codes = itertools.count(1)

    @property
    def base_url(self) -> str:
        return self.root + PREFIX

    def set_status(self, code: str, status: str):
        self.orders[code]["status"] = status

    def webhook(self, code: str, *, status: str | None = None, type: str = "switch_status") -> dict:
        order = self.orders[code]
        return {"CODAmount": order["cod_amount"], "CODTransferDate": None, "ClientOrderCode": order["client_order_code"],
                "ConvertedWeight": order["weight"], "Description": "", "Fee": {"MainService": order["total_fee"]},
                "OrderCode": code, "PaymentType": 1, "Reason": "", "ReasonCode": "", "ShopID": int(SHOP_ID),
                "Status": status or order["status"], "Time": "2026-12-06T03:52:50.158Z", "TotalFee": order["total_fee"],
                "Type": type, "Warehouse": "Bưu cục Sơn La", "Weight": order["weight"]}

    def handle(self, r: Recorded):
        if r.path == "/a5/public-api/printA5":
            code = next((c for c, o in self.orders.items() if o.get("print_token") == r.query.get("token")), None)
            if code is None:
                return 404, b"token expired", "text/html"
            return 200, f"<html><body><h1>GHN {code}</h1></body></html>".encode(), "text/html; charset=utf-8"
        if r.headers.get("token") != TOKEN:
            return 401, {"code": 401, "message": "Token is not valid", "data": None}, ""
        path = r.path.removeprefix(PREFIX)
        body = r.body if isinstance(r.body, dict) else {}
        if path == "/master-data/province":
            return 200, {"code": 200, "message": "Success", "data": PROVINCES}, ""
        if path == "/master-data/district":
            return 200, {"code": 200, "message": "Success", "data": DISTRICTS.get(body.get("province_id"), [])}, ""
        if path == "/master-data/ward":
            return 200, {"code": 200, "message": "Success", "data": WARDS.get(body.get("district_id"), [])}, ""
        if r.headers.get("shopid") != SHOP_ID:
            return 400, {"code": 400, "message": "ShopID is invalid", "data": None}, ""
        if path == "/v2/shipping-order/fee":
            weight = body.get("weight")
            if not isinstance(weight, int) or weight <= 0 or not body.get("to_ward_code") or not body.get("to_district_id"):
                return 400, {"code": 400, "message": "Sai thông tin địa chỉ hoặc khối lượng", "data": None}, ""
            total = fee_for(weight, body.get("service_type_id") == 1)
            return 200, {"code": 200, "message": "Success", "data": {"total": total, "service_fee": total,
                                                                     "insurance_fee": 0}}, ""
        if path == "/v2/shipping-order/create":
            missing = [k for k in REQUIRED_CREATE if body.get(k) in (None, "", [])]
            if missing:
                return 400, {"code": 400, "message": f"Thiếu {', '.join(missing)}", "data": None}, ""
            if any(o["client_order_code"] == body.get("client_order_code") for o in self.orders.values()):
                return 400, {"code": 400, "message": "Mã đơn hàng của shop đã tồn tại", "data": None,
                             "code_message": "ORDER_CLIENT_CODE_EXIST"}, ""
            code = f"GHN{next(self._codes):05d}{secrets.token_hex(2).upper()}"
            total = fee_for(body["weight"], body.get("service_type_id") == 1)
            self.orders[code] = {**body, "order_code": code, "status": "ready_to_pick", "total_fee": total}
            return 200, {"code": 200, "message": "Success", "data": {
                "order_code": code, "sort_code": "19-08-04", "trans_type": "truck", "total_fee": total,
                "expected_delivery_time": "2026-12-09T16:59:59Z"}}, ""
        if path == "/v2/shipping-order/detail":
            order = self.orders.get(body.get("order_code"))
            if order is None:
                return 400, {"code": 400, "message": "Đơn hàng không tồn tại", "data": None}, ""
            return 200, {"code": 200, "message": "Success", "data": {
                "order_code": order["order_code"], "status": order["status"], "cod_amount": order["cod_amount"],
                "client_order_code": order["client_order_code"], "updated_date": f"2026-12-06T0{len(self.requests) % 10}"
                ":00:00Z"}}, ""
        if path == "/v2/switch-status/cancel":
            results = []
            for code in body.get("order_codes") or []:
                order = self.orders.get(code)
                ok = order is not None and order["status"] in CANCELLABLE
                if ok:
                    order["status"] = "cancel"
                results.append({"order_code": code, "result": ok, "message": "OK" if ok else "Không thể hủy"})
            return 200, {"code": 200, "message": "Success", "data": results}, ""
        if path == "/v2/a5/gen-token":
            codes = body.get("order_codes") or []
            if not codes or codes[0] not in self.orders:
                return 400, {"code": 400, "message": "Đơn hàng không tồn tại", "data": None}, ""
            token = secrets.token_hex(8)
            self.orders[codes[0]]["print_token"] = token
            return 200, {"code": 200, "message": "Success", "data": {"token": token}}, ""
        return 404, {"code": 404, "message": "not found", "data": None}, ""

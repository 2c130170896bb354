"""GHN (Giao Hàng Nhanh) adapter, from GHN's public API documentation at https://api.ghn.vn/home/docs/detail
(calculate fee: ?id=76, create order, order info/detail, cancel, print A5, master data, webhook: ?id=47).

Every call sends headers `Token` and `ShopId` (GHN_TOKEN, GHN_SHOP_ID) to GHN_BASE_URL
(production https://online-gateway.ghn.vn/shiip/public-api, staging https://dev-online-gateway.ghn.vn/shiip/public-api).
Answers are {"code": 200, "message": "Success", "data": …}. GHN addresses a ward by its district
id and ward code from its master data (carriers/areas.py keeps ours mapped to them).
"""
from __future__ import annotations

from django.conf import settings

from . import transport
from .base import Carrier, CarrierError, CarrierStatus, Place, Tracking, Waybill, WaybillRequest

STATUSES = {
    "ready_to_pick": CarrierStatus.READY, "picking": CarrierStatus.READY,
    "money_collect_picking": CarrierStatus.READY,
    "picked": CarrierStatus.PICKED_UP, "storing": CarrierStatus.PICKED_UP, "transporting": CarrierStatus.PICKED_UP,
    "sorting": CarrierStatus.PICKED_UP, "delivering": CarrierStatus.PICKED_UP,
    "money_collect_delivering": CarrierStatus.PICKED_UP,
    "delivery_fail": CarrierStatus.FAILED_ATTEMPT, "exception": CarrierStatus.FAILED_ATTEMPT,
    "delivered": CarrierStatus.DELIVERED,
    "waiting_to_return": CarrierStatus.RETURNING, "return": CarrierStatus.RETURNING,
    "return_transporting": CarrierStatus.RETURNING, "return_sorting": CarrierStatus.RETURNING,
    "returning": CarrierStatus.RETURNING, "return_fail": CarrierStatus.RETURNING,
    "returned": CarrierStatus.RETURNED,
    "cancel": CarrierStatus.CANCELLED,
    "damage": CarrierStatus.LOST, "lost": CarrierStatus.LOST,
}
STANDARD, EXPRESS = 2, 1  # service_type_id, as the fee API documents it
# A parcel of farm goods: GHN prices by the larger of weight and volume; these are a shoebox.
BOX_CM = {"length": 30, "width": 20, "height": 15}


class GHN(Carrier):
    code = "ghn"
    name = "Giao Hàng Nhanh"

    def __init__(self, *, token: str, shop_id: str, base_url: str):
        self.token, self.shop_id, self.base_url = token, shop_id, base_url.rstrip("/")

    @classmethod
    def from_settings(cls):
        if not (settings.GHN_TOKEN and settings.GHN_SHOP_ID):
            return None
        return cls(token=settings.GHN_TOKEN, shop_id=settings.GHN_SHOP_ID, base_url=settings.GHN_BASE_URL)

    @property
    def headers(self) -> dict:
        return {"Token": self.token, "ShopId": str(self.shop_id), "Content-Type": "application/json"}

    def _post(self, path: str, body: dict, *, timeout: float) -> dict:
        data = transport.call("POST", self.base_url + path, headers=self.headers, json=body, timeout=timeout)
        if data.get("code") != 200:
            raise CarrierError(str(data.get("message") or data.get("code"))[:300], retryable=False)
        return data

    # ------------------------------------------------------------------------ the interface
    def quote(self, *, sender: Place, recipient: Place, weight_grams: int, value: int, express: bool,
              timeout: float) -> int:
        body = {"from_district_id": _int(sender.district), "from_ward_code": sender.ward,
                "to_district_id": _int(recipient.district), "to_ward_code": recipient.ward,
                "service_type_id": EXPRESS if express else STANDARD, "weight": max(int(weight_grams), 1),
                "insurance_value": int(value), **BOX_CM}
        data = self._post("/v2/shipping-order/fee", body, timeout=timeout)["data"] or {}
        total = data.get("total")
        if isinstance(total, bool) or not isinstance(total, int) or total < 0:
            raise CarrierError("no fee in GHN's answer")
        return total

    def create(self, request: WaybillRequest, *, timeout: float) -> Waybill:
        sender, recipient = request.sender, request.recipient
        body = {
            "payment_type_id": 1,  # the shop pays the carrier; the shopper paid shipping to the shop
            "required_note": "CHOXEMHANGKHONGTHU" if request.allow_inspection else "KHONGCHOXEMHANG",
            "note": request.note[:500], "client_order_code": request.client_code,
            "from_name": sender.name, "from_phone": sender.phone, "from_address": sender.place.street,
            "from_district_id": _int(sender.place.district), "from_ward_code": sender.place.ward,
            "return_phone": sender.phone, "return_address": sender.place.street,
            "return_district_id": _int(sender.place.district), "return_ward_code": sender.place.ward,
            "to_name": recipient.name, "to_phone": recipient.phone, "to_address": recipient.place.street,
            "to_district_id": _int(recipient.place.district), "to_ward_code": recipient.place.ward,
            "cod_amount": int(request.cod_amount), "insurance_value": int(request.value),
            "content": ", ".join(item.name for item in request.items)[:500],
            "weight": max(int(request.weight_grams), 1), **BOX_CM,
            "service_type_id": EXPRESS if request.express else STANDARD,
            "items": [{"name": i.name[:200], "code": i.code, "quantity": i.quantity, "weight": i.weight_grams}
                      for i in request.items],
        }
        data = self._post("/v2/shipping-order/create", body, timeout=timeout)["data"] or {}
        code = data.get("order_code")
        if not isinstance(code, str) or not code:
            raise CarrierError("no order code in GHN's answer")
        fee = data.get("total_fee")
        return Waybill(code=code, fee=fee if isinstance(fee, int) else None, status=CarrierStatus.READY,
                       carrier_status="ready_to_pick", raw=data)

    def detail(self, code: str, *, timeout: float) -> Tracking:
        data = self._post("/v2/shipping-order/detail", {"order_code": code}, timeout=timeout)["data"] or {}
        status = data.get("status")
        if not isinstance(status, str):
            raise CarrierError("no status in GHN's answer")
        cod = data.get("cod_amount")
        return Tracking(code=code, status=self.map_status(status), carrier_status=status,
                        occurred_at=str(data.get("updated_date") or "")[:40],
                        cod_amount=cod if isinstance(cod, int) else None, raw=data)

    def cancel(self, code: str, *, timeout: float) -> None:
        data = self._post("/v2/switch-status/cancel", {"order_codes": [code]}, timeout=timeout)["data"] or []
        results = [r for r in data if isinstance(r, dict) and r.get("order_code") == code]
        if not results or not results[0].get("result"):
            message = results[0].get("message") if results else "not cancelled"
            raise CarrierError(str(message)[:300], retryable=False)

    def label(self, code: str, *, timeout: float) -> tuple[bytes, str]:
        """GHN prints through a one-time token: gen-token, then its A5 print page (HTML to print)."""
        data = self._post("/v2/a5/gen-token", {"order_codes": [code]}, timeout=timeout)["data"] or {}
        token = data.get("token")
        if not isinstance(token, str) or not token:
            raise CarrierError("no print token in GHN's answer")
        root = self.base_url.split("/shiip/")[0]
        response = transport.call("GET", root + "/a5/public-api/printA5", headers={}, params={"token": token},
                             timeout=timeout, raw=True)
        if isinstance(response, dict):
            raise CarrierError("no label in GHN's answer")
        return response.content, response.headers.get("Content-Type", "text/html")

    def map_status(self, carrier_status: str) -> str:
        return STATUSES.get(str(carrier_status).lower(), "")

    # ------------------------------------------------------------------------ master data
    def provinces(self, *, timeout: float) -> list[dict]:
        return transport.call("GET", self.base_url + "/master-data/province", headers=self.headers,
                         timeout=timeout).get("data") or []

    def districts(self, province_id: int, *, timeout: float) -> list[dict]:
        return self._post("/master-data/district", {"province_id": province_id}, timeout=timeout).get("data") or []

    def wards(self, district_id: int, *, timeout: float) -> list[dict]:
        return self._post("/master-data/ward", {"district_id": district_id}, timeout=timeout).get("data") or []


def _int(value) -> int | None:
    text = str(value)
    return int(text) if text.isdigit() else None

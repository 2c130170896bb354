"""GHTK (Giao Hàng Tiết Kiệm) adapter, from GHTK's API documentation at https://api.ghtk.vn/en/docs
(submit-order/calculate-shipping-fee, submit-order-express, tracking-status, api-cancel-order,
print-label, webhook; also https://docs.giaohangtietkiem.vn/en/docs/submit-order/...).

Every call sends headers `Token` (GHTK_TOKEN) and `X-Client-Source` (GHTK_PARTNER_CODE) to
GHTK_BASE_URL (https://services.giaohangtietkiem.vn). GHTK addresses places by name (province,
district, ward); answers are {"success": true|false, "message": …, …}. Express is GHTK's air
transport ("fly"), standard its road transport.
"""
from __future__ import annotations

from urllib.parse import quote

from django.conf import settings

from . import transport
from .base import Carrier, CarrierError, CarrierStatus, Place, Tracking, Waybill, WaybillRequest

STATUSES = {
    "-1": CarrierStatus.CANCELLED,
    "1": CarrierStatus.READY, "2": CarrierStatus.READY, "7": CarrierStatus.READY, "8": CarrierStatus.READY,
    "12": CarrierStatus.READY, "127": CarrierStatus.READY, "128": CarrierStatus.READY,
    "3": CarrierStatus.PICKED_UP, "4": CarrierStatus.PICKED_UP, "123": CarrierStatus.PICKED_UP,
    "45": CarrierStatus.PICKED_UP,  # the courier says delivered; GHTK confirms with 5
    "5": CarrierStatus.DELIVERED, "6": CarrierStatus.DELIVERED,
    "9": CarrierStatus.FAILED_ATTEMPT, "10": CarrierStatus.FAILED_ATTEMPT, "49": CarrierStatus.FAILED_ATTEMPT,
    "410": CarrierStatus.FAILED_ATTEMPT,
    "20": CarrierStatus.RETURNING, "21": CarrierStatus.RETURNED, "11": CarrierStatus.RETURNED,
    "13": CarrierStatus.LOST,
}


class GHTK(Carrier):
    code = "ghtk"
    name = "Giao Hàng Tiết Kiệm"

    def __init__(self, *, token: str, partner_code: str, base_url: str):
        self.token, self.partner_code, self.base_url = token, partner_code, base_url.rstrip("/")

    @classmethod
    def from_settings(cls):
        if not settings.GHTK_TOKEN:
            return None
        return cls(token=settings.GHTK_TOKEN, partner_code=settings.GHTK_PARTNER_CODE, base_url=settings.GHTK_BASE_URL)

    @property
    def headers(self) -> dict:
        headers = {"Token": self.token, "Content-Type": "application/json"}
        if self.partner_code:
            headers["X-Client-Source"] = self.partner_code
        return headers

    def _checked(self, data: dict) -> dict:
        if data.get("success") is not True:
            raise CarrierError(str(data.get("message") or "refused")[:300], retryable=False)
        return data

    def quote(self, *, sender: Place, recipient: Place, weight_grams: int, value: int, express: bool,
              timeout: float) -> int:
        params = {"pick_province": sender.province, "pick_district": sender.district, "pick_ward": sender.ward,
                  "province": recipient.province, "district": recipient.district, "ward": recipient.ward,
                  "address": recipient.street, "weight": max(int(weight_grams), 1), "value": int(value),
                  "transport": "fly" if express else "road", "deliver_option": "none"}
        data = self._checked(transport.call("GET", self.base_url + "/services/shipment/fee", headers=self.headers,
                                       params=params, timeout=timeout))
        fee = (data.get("fee") or {}) if isinstance(data.get("fee"), dict) else {}
        amount = fee.get("fee")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0 or fee.get("delivery") is False:
            raise CarrierError("GHTK does not deliver there", retryable=False)
        return amount

    def create(self, request: WaybillRequest, *, timeout: float) -> Waybill:
        sender, recipient = request.sender, request.recipient
        body = {
            "products": [{"name": i.name[:200], "weight": round(i.weight_grams / 1000, 3), "quantity": i.quantity,
                          "product_code": i.code} for i in request.items],
            "order": {
                "id": request.client_code,
                "pick_name": sender.name, "pick_tel": sender.phone, "pick_address": sender.place.street,
                "pick_province": sender.place.province, "pick_district": sender.place.district,
                "pick_ward": sender.place.ward,
                "name": recipient.name, "tel": recipient.phone, "address": recipient.place.street,
                "province": recipient.place.province, "district": recipient.place.district,
                "ward": recipient.place.ward, "hamlet": "Khác",
                "is_freeship": "1",  # the shopper paid shipping to the shop: the courier collects only pick_money
                "pick_money": int(request.cod_amount), "value": int(request.value),
                "transport": "fly" if request.express else "road", "note": request.note[:120],
                "total_weight": round(request.weight_grams / 1000, 3),
            },
        }
        data = self._checked(transport.call("POST", self.base_url + "/services/shipment/order/?ver=1.5",
                                       headers=self.headers, json=body, timeout=timeout))
        order = data.get("order") if isinstance(data.get("order"), dict) else {}
        label = order.get("label")
        if not isinstance(label, str) or not label:
            raise CarrierError("no label id in GHTK's answer")
        fee = str(order.get("fee", ""))
        status_id = str(order.get("status_id", "2"))
        return Waybill(code=label, fee=int(fee) if fee.isdigit() else None,
                       status=self.map_status(status_id) or CarrierStatus.READY, carrier_status=status_id, raw=data)

    def detail(self, code: str, *, timeout: float) -> Tracking:
        data = self._checked(transport.call("GET", f"{self.base_url}/services/shipment/v2/{quote(code)}",
                                       headers=self.headers, timeout=timeout))
        order = data.get("order") if isinstance(data.get("order"), dict) else {}
        status = str(order.get("status", ""))
        if not status:
            raise CarrierError("no status in GHTK's answer")
        cod = order.get("pick_money")
        return Tracking(code=code, status=self.map_status(status), carrier_status=status,
                        occurred_at=str(order.get("modified") or "")[:40],
                        cod_amount=cod if isinstance(cod, int) else None, raw=data)

    def cancel(self, code: str, *, timeout: float) -> None:
        self._checked(transport.call("POST", f"{self.base_url}/services/shipment/cancel/{quote(code)}",
                                headers=self.headers, timeout=timeout))

    def label(self, code: str, *, timeout: float) -> tuple[bytes, str]:
        response = transport.call("GET", f"{self.base_url}/services/label/{quote(code)}", headers=self.headers,
                             params={"original": "portrait", "paper_size": "A6"}, timeout=timeout, raw=True)
        if isinstance(response, dict):  # JSON: GHTK's error shape
            raise CarrierError(str(response.get("message") or "no label")[:300], retryable=False)
        return response.content, "application/pdf"

    def map_status(self, carrier_status: str) -> str:
        return STATUSES.get(str(carrier_status).strip(), "")

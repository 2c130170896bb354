"""A local stand-in for GHTK's API (https://api.ghtk.vn/en/docs), as the shop calls it: every request
must carry the Token header; answers are {"success": true|false, "message": …, …}.

GET  /services/shipment/fee                fee for pick_* and delivery province/district/ward, grams
POST /services/shipment/order/?ver=1.5     an order: label (S1.A1.…), fee
GET  /services/shipment/v2/<label>         its current status_id
POST /services/shipment/cancel/<label>     cancel while not picked up (statuses 1, 2, 12)
GET  /services/label/<label>               the label, a PDF
`set_status(label, status_id)` plays GHTK moving the parcel; `webhook(label)` is the form GHTK posts.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from .fake_http import FakeServer, Recorded

TOKEN, PARTNER_CODE = "ghtk-test-token-9a2b", "S308157"
CANCELLABLE = ("1", "2", "12")
PDF = b"%PDF-1.4\n% GHTK label\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fee_for(grams: int, fly: bool) -> int:
    base = 30000 + 2500 * max(0, (grams - 1) // 500)
    return base + 10000 if fly else base


@dataclass
class FakeGHTK(FakeServer):
    name = "ghtk"
    orders: dict = field(default_factory=dict)
    _labels = itertools.count(17373471)

    @property
    def base_url(self) -> str:
        return self.root

    def set_status(self, label: str, status_id: str):
        self.orders[label]["status"] = str(status_id)

    def webhook(self, label: str, *, status_id: str | None = None) -> dict:
        order = self.orders[label]
        return {"label_id": label, "partner_id": order["id"], "status_id": status_id or order["status"],
                "action_time": "2026-12-06T12:18:39+07:00", "reason_code": "", "reason": "",
                "weight": "0.5", "fee": str(order["fee"]), "pick_money": str(order["pick_money"]),
                "return_part_package": "0"}

    def handle(self, r: Recorded):
        if r.headers.get("token") != TOKEN:
            return 401, {"success": False, "message": "Token không hợp lệ"}, ""
        if r.path == "/services/shipment/fee":
            q = r.query
            if not (q.get("province") and q.get("pick_province") and q.get("weight", "").isdigit()):
                return 200, {"success": False, "message": "Thiếu địa chỉ hoặc khối lượng"}, ""
            fee = fee_for(int(q["weight"]), q.get("transport") == "fly")
            return 200, {"success": True, "message": "", "fee": {"name": "area1", "fee": fee, "insurance_fee": 0,
                                                                "delivery": True}}, ""
        if r.path.rstrip("/") == "/services/shipment/order" and r.method == "POST":
            body = r.body if isinstance(r.body, dict) else {}
            order, products = body.get("order") or {}, body.get("products") or []
            needed = ("id", "pick_name", "pick_money", "pick_address", "pick_province", "pick_tel", "name", "address",
                      "province", "tel", "hamlet")
            missing = [k for k in needed if order.get(k) in (None, "")]
            if missing or not products:
                return 200, {"success": False, "message": f"Thiếu {', '.join(missing) or 'products'}"}, ""
            if any(o["id"] == order["id"] for o in self.orders.values()):
                return 200, {"success": False, "message": "Mã đơn hàng đã tồn tại",
                             "error": {"code": "ORDER_ID_EXIST", "partner_id": order["id"]}}, ""
            label = f"S1.A1.{next(self._labels)}"
            grams = int(sum(float(p.get("weight", 0)) * int(p.get("quantity", 1)) for p in products) * 1000)
            fee = fee_for(grams, order.get("transport") == "fly")
            self.orders[label] = {**order, "label": label, "status": "2", "fee": fee}
            return 200, {"success": True, "message": "", "order": {
                "partner_id": order["id"], "label": label, "area": "1", "fee": str(fee), "insurance_fee": "0",
                "estimated_pick_time": "Sáng 2026-12-07", "estimated_deliver_time": "Chiều 2026-12-09",
                "products": [], "status_id": 2}}, ""
        if r.path.startswith("/services/shipment/v2/"):
            order = self.orders.get(r.path.rsplit("/", 1)[1])
            if order is None:
                return 200, {"success": False, "message": "Không tìm thấy đơn hàng"}, ""
            return 200, {"success": True, "message": "", "order": {
                "label_id": order["label"], "partner_id": order["id"], "status": order["status"],
                "status_text": "", "created": "2026-12-06 09:00:00", "modified": f"2026-12-06 1{len(self.requests) % 10}:00:00",
                "pick_money": order["pick_money"], "ship_money": order["fee"], "weight": 500}}, ""
        if r.path.startswith("/services/shipment/cancel/"):
            order = self.orders.get(r.path.rsplit("/", 1)[1])
            if order is None or order["status"] not in CANCELLABLE:
                return 200, {"success": False, "message": "Đơn đã lấy hàng, không thể hủy đơn."}, ""
            order["status"] = "-1"
            return 200, {"success": True, "message": ""}, ""
        if r.path.startswith("/services/label/"):
            if r.path.rsplit("/", 1)[1] not in self.orders:
                return 200, {"success": False, "message": "Mã vận đơn không hợp lệ, không tìm thấy vận đơn"}, ""
            return 200, PDF, "application/pdf"
        return 404, {"success": False, "message": "not found"}, ""

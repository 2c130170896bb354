"""A local stand-in for eSMS's SendMultipleMessage_V4_post_json, as documented: ApiKey/SecretKey
checked (101), the brandname registered (104), the phone a Vietnamese mobile number (108), SmsType 2
(customer care; 118 otherwise); a RequestId seen before answers 124 and sends nothing (eSMS's guard
against duplicates); otherwise {"CodeResult": "100", "SMSID": …} and the message is in `sent`."""
from __future__ import annotations

import re
import secrets

from .fake_http import FakeServer, Recorded

PHONE = re.compile(r"^(0|84)[35789]\d{8}$")
PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"


class FakeEsms(FakeServer):
    name = "fake-esms"

    def __init__(self, *, api_key: str, secret_key: str, brandname: str):
        super().__init__()
        self.api_key, self.secret_key, self.brandname = api_key, secret_key, brandname
        self.request_ids: set[str] = set()
        self.sent: list[dict] = []

    @property
    def url(self) -> str:
        return f"{self.base_url}{PATH}"

    def answer(self, request: Recorded):
        body = request.body
        if request.path != PATH:
            return 404, {"CodeResult": "404"}
        if body.get("ApiKey") != self.api_key or body.get("SecretKey") != self.secret_key:
            return 200, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}
        if body.get("Brandname") != self.brandname:
            return 200, {"CodeResult": "104", "ErrorMessage": "Brandname not exist"}
        if str(body.get("SmsType")) != "2":
            return 200, {"CodeResult": "118", "ErrorMessage": "Unsupported message type"}
        if not PHONE.match(str(body.get("Phone", ""))):
            return 200, {"CodeResult": "108", "ErrorMessage": "Phone number is not in correct format"}
        request_id = str(body.get("RequestId") or "")
        if request_id and request_id in self.request_ids:
            return 200, {"CodeResult": "124", "ErrorMessage": "Duplicate RequestId"}
        self.request_ids.add(request_id)
        sms_id = secrets.token_hex(16)
        self.sent.append({**body, "SMSID": sms_id})
        return 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id}

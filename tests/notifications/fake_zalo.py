"""A local stand-in for Zalo's ZNS and OA token endpoints, as documented:
- POST /message/template with header `access_token` and JSON {phone, template_id, template_data,
  tracking_id}: error -124 for an unknown or expired token, -108 for a phone not in 84… form, -109
  for a template id Zalo does not know, -112 when template_data lacks a parameter the template has;
  otherwise {"error": 0, "message": "Success", "data": {"msg_id", "sent_time"}} and the message is
  recorded in `sent`.
- POST /v4/oa/access_token with header `secret_key` and form app_id, refresh_token,
  grant_type=refresh_token: a new access token and a new refresh token; the refresh token is
  single-use, as Zalo's is (a second use answers error -14014).
"""
from __future__ import annotations

import re
import secrets
import time

from .fake_http import FakeServer, Recorded

PHONE_84 = re.compile(r"^84\d{9}$")


class FakeZalo(FakeServer):
    name = "fake-zalo"

    def __init__(self, *, token: str, refresh_token: str, app_id: str, app_secret: str, templates: dict):
        super().__init__()
        self.tokens = {token}
        self.refresh_tokens = {refresh_token}
        self.app_id, self.app_secret = app_id, app_secret
        self.templates = templates  # template id -> parameter names it was approved with
        self.sent: list[dict] = []

    @property
    def zns_url(self) -> str:
        return f"{self.base_url}/message/template"

    @property
    def oauth_url(self) -> str:
        return f"{self.base_url}/v4/oa/access_token"

    def expire_tokens(self):
        self.tokens.clear()

    def answer(self, request: Recorded):
        if request.path.startswith("/v4/oa/access_token"):
            return 200, self._refresh(request)
        if request.path.startswith("/message/template"):
            return 200, self._send(request)
        return 404, {"error": -201, "message": "not found"}

    def _refresh(self, request):
        body = request.body
        if request.headers.get("secret_key") != self.app_secret or body.get("app_id") != self.app_id:
            return {"error": -14002, "error_name": "Invalid app", "error_description": "app_id or secret_key"}
        if body.get("grant_type") != "refresh_token" or body.get("refresh_token") not in self.refresh_tokens:
            return {"error": -14014, "error_name": "Invalid refresh token",
                    "error_description": "refresh_token is invalid or was used"}
        self.refresh_tokens.discard(body["refresh_token"])
        access, refresh = f"at-{secrets.token_hex(6)}", f"rt-{secrets.token_hex(6)}"
        self.tokens.add(access)
        self.refresh_tokens.add(refresh)
        return {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}

    def _send(self, request):
        body = request.body
        if request.headers.get("access_token") not in self.tokens:
            return {"error": -124, "message": "Access token invalid"}
        if not PHONE_84.match(str(body.get("phone", ""))):
            return {"error": -108, "message": "Phone number invalid"}
        params = self.templates.get(str(body.get("template_id")))
        if params is None:
            return {"error": -109, "message": "Template ID invalid"}
        data = body.get("template_data") or {}
        if not isinstance(data, dict) or set(params) - set(data):
            return {"error": -112, "message": "Template data invalid"}
        msg_id = secrets.token_hex(16)
        self.sent.append({**body, "msg_id": msg_id})
        return {"error": 0, "message": "Success",
                "data": {"msg_id": msg_id, "sent_time": str(int(time.time() * 1000))}}

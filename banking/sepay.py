"""SePay's transaction webhook: how a notification is authenticated and read.

Documented at https://developer.sepay.vn/en/sepay-webhooks (payload: tich-hop-webhook,
authentication: xac-thuc, security: bao-mat). SePay POSTs JSON
    {"id": 92704, "gateway": "Vietcombank", "transactionDate": "2023-03-25 14:02:37",
     "accountNumber": "0123499999", "code": null, "content": "…", "transferType": "in",
     "transferAmount": 2277000, "accumulated": 19077000, "subAccount": null,
     "referenceCode": "MBVCB.3278907687", "description": ""}
and expects a 2xx with {"success": true} within 5 seconds, else it retries up to 7 times
(Fibonacci minutes apart): so a notification is answered 200 once it is recorded, whatever the
outcome of matching, and 401/400 only when it is not SePay's or not readable.

Authentication, as configured on the webhook (SEPAY_WEBHOOK_AUTH):
- "apikey": header `Authorization: Apikey <SEPAY_API_KEY>`;
- "hmac": headers `X-SePay-Timestamp` (Unix seconds) and `X-SePay-Signature`
  (`sha256=` + hex HMAC-SHA256 of "<timestamp>.<raw body>" with SEPAY_WEBHOOK_SECRET); a timestamp
  more than SEPAY_MAX_SKEW_SECONDS (5 minutes, as SePay advises) from now is refused (replay).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

PROVIDER = "sepay"


class NotAuthentic(Exception):
    """Not signed or keyed as configured: 401, nothing written."""


class Unreadable(Exception):
    """Authentic but not a SePay transaction we can read (no JSON object)."""


def configured() -> bool:
    auth = getattr(settings, "SEPAY_WEBHOOK_AUTH", "")
    return (auth == "apikey" and bool(settings.SEPAY_API_KEY)) or (
        auth == "hmac" and bool(settings.SEPAY_WEBHOOK_SECRET))


def signature(body: bytes, timestamp: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return "sha256=" + digest


def authenticate(*, body: bytes, headers) -> None:
    """Raise NotAuthentic unless the request carries the configured API key or a fresh signature."""
    if not configured():
        raise NotAuthentic("the bank webhook is not configured")
    if settings.SEPAY_WEBHOOK_AUTH == "apikey":
        given = headers.get("Authorization", "")
        scheme, _, key = given.partition(" ")
        if scheme.lower() != "apikey" or not hmac.compare_digest(key.strip().encode(),
                                                                 settings.SEPAY_API_KEY.encode()):
            raise NotAuthentic("wrong or missing API key")
        return
    stamp, given = headers.get("X-SePay-Timestamp", ""), headers.get("X-SePay-Signature", "")
    if not stamp.isdigit() or abs(time.time() - int(stamp)) > settings.SEPAY_MAX_SKEW_SECONDS:
        raise NotAuthentic("missing or stale timestamp")
    expected = signature(body, stamp, settings.SEPAY_WEBHOOK_SECRET)
    if not given.startswith("sha256="):
        given = "sha256=" + given
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise NotAuthentic("bad signature")


@dataclass(frozen=True)
class Incoming:
    """One transaction as SePay reported it; `amount` is None when it is not a whole number."""

    transaction_id: str
    gateway: str
    transaction_date: str
    account_number: str
    content: str
    transfer_type: str
    amount: Decimal | None
    reference_code: str
    payload: dict


def parse(body: bytes) -> Incoming:
    """The transaction in `body`. A payload without a usable id gets one from its bytes, so a
    retry of the same unreadable body is still recorded once."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Unreadable("not UTF-8 JSON") from error
    if not isinstance(data, dict):
        raise Unreadable("not a JSON object")
    raw_id = data.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (int, str)) or not str(raw_id).strip():
        transaction_id = "body-" + hashlib.sha256(body).hexdigest()[:40]
    else:
        transaction_id = str(raw_id).strip()[:128]
    return Incoming(
        transaction_id=transaction_id,
        gateway=_text(data.get("gateway"), 64),
        transaction_date=_text(data.get("transactionDate"), 32),
        account_number=_text(data.get("accountNumber"), 64),
        content=_text(data.get("content"), 2000),
        transfer_type=_text(data.get("transferType"), 8).lower(),
        amount=_whole(data.get("transferAmount")),
        reference_code=_text(data.get("referenceCode"), 128),
        payload=data,
    )


def _text(value, limit: int) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value)[:limit]


def _whole(value) -> Decimal | None:
    """SePay sends the amount as a JSON number of đồng. A string, a fraction, a negative or a
    number too large for the column is not taken as money (the transfer goes to the office)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    amount = Decimal(int(value))
    if amount < 0 or amount >= Decimal(10) ** 14:
        return None
    return amount

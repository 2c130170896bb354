"""SePay's side of the transaction webhook, as https://developer.sepay.vn/en/sepay-webhooks documents
it: the JSON it POSTs for a bank transaction and the headers it authenticates with. The shop is the
server here; this builds exactly what SePay sends, so the tests show it."""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time

API_KEY = "sepay-test-api-key-0123456789"
HMAC_SECRET = "sepay-test-hmac-secret"
ACCOUNT = "0000000000"  # the shop's VIETQR_ACCOUNT_NUMBER in the tests
URL = "/payments/webhook/sepay/"
_ids = itertools.count(92704)


def transaction(*, content: str, amount=370000, id=None, transfer_type="in", account=ACCOUNT, **extra) -> dict:
    """One bank transaction as SePay reports it (fields and types from its payload table)."""
    return {"id": next(_ids) if id is None else id, "gateway": "Vietcombank",
            "transactionDate": "2026-12-06 09:15:02", "accountNumber": account, "code": None,
            "content": content, "transferType": transfer_type, "transferAmount": amount,
            "accumulated": 19077000, "subAccount": None, "referenceCode": "MBVCB.3278907687",
            "description": "", **extra}


def apikey_headers(key: str = API_KEY) -> dict:
    return {"HTTP_AUTHORIZATION": f"Apikey {key}"}


def hmac_headers(body: str, *, secret: str = HMAC_SECRET, timestamp: int | None = None) -> dict:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return {"HTTP_X_SEPAY_TIMESTAMP": stamp, "HTTP_X_SEPAY_SIGNATURE": f"sha256={digest}"}


def send(client, payload, *, headers=None):
    """POST one notification (a dict, or a raw body) with the API key unless headers are given."""
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(URL, data=body, content_type="application/json",
                       **(apikey_headers() if headers is None else headers))

"""SMS through eSMS (esms.vn), a Vietnamese brandname provider: customer-care messages (SmsType 2)
from the shop's registered brandname.

POST ESMS_URL (…/MainService.svc/json/SendMultipleMessage_V4_post_json/) with ApiKey, SecretKey,
Phone, Content, Brandname, SmsType, IsUnicode, Sandbox and RequestId. eSMS answers
{"CodeResult": "100", "SMSID": …} when it took the message. RequestId is unique per outbox message:
eSMS refuses a second request with the same id (code 124), so re-sending after a lost answer or a
killed worker cannot send (and charge) twice. Content is sent without accents (IsUnicode 0): an
unaccented message is one segment up to 160 characters, and customer-care templates are
registered with the carriers that way. Optional: without ESMS_API_KEY, nobody gets SMS.
"""
from __future__ import annotations

import unicodedata

import requests
from django.conf import settings

from .errors import PermanentError, TemporaryError

TIMEOUT = (3.05, 10)
ACCEPTED = "100"
DUPLICATE_REQUEST = "124"  # this RequestId was taken before: the message is already on its way
# Blocked or malformed number, wrong keys, unknown brandname, unsupported type, IP not allowed,
# message not matching a registered template, carrier not registered: a person must act.
PERMANENT = {"99", "101", "104", "108", "118", "140", "146", "177"}


def is_configured() -> bool:
    return bool(settings.ESMS_API_KEY and settings.ESMS_SECRET_KEY)


def speaks_of(event: str) -> bool:
    from ..texts import SMS_TEXTS

    return event in SMS_TEXTS


def unaccented(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def send(*, phone: str, text: str, request_id: str) -> str:
    """Send one SMS; returns eSMS's SMSID (or the request id when eSMS already had it)."""
    national = "0" + phone[2:] if phone.startswith("84") else phone
    body = {"ApiKey": settings.ESMS_API_KEY, "SecretKey": settings.ESMS_SECRET_KEY, "Phone": national,
            "Content": unaccented(text), "Brandname": settings.ESMS_BRANDNAME, "SmsType": "2", "IsUnicode": "0",
            "Sandbox": "1" if settings.ESMS_SANDBOX else "0", "RequestId": request_id}
    try:
        response = requests.post(settings.ESMS_URL, json=body, timeout=TIMEOUT)
    except requests.RequestException as exc:  # RequestId makes the retry safe even after a lost answer
        raise TemporaryError(f"eSMS: {type(exc).__name__}: {exc}") from exc
    if response.status_code >= 500:
        raise TemporaryError(f"eSMS HTTP {response.status_code}")
    try:
        answer = response.json()
    except ValueError as exc:
        raise TemporaryError(f"eSMS answered HTTP {response.status_code} with no JSON") from exc
    code = str(answer.get("CodeResult", ""))
    if code == ACCEPTED:
        return str(answer.get("SMSID", ""))
    if code == DUPLICATE_REQUEST:
        return f"already sent ({request_id})"
    error = f"eSMS error {code}: {answer.get('ErrorMessage', '')}"
    if code in PERMANENT:
        raise PermanentError(error)
    raise TemporaryError(error)  # 103 balance, and anything new: retried with backoff, then given up

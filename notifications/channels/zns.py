"""Zalo Notification Service (ZNS): template messages from the shop's Zalo Official Account.

POST ZALO_ZNS_URL (https://business.openapi.zalo.me/message/template) with the OA access token in
the `access_token` header and {"phone": "84…", "template_id", "template_data", "tracking_id"}; Zalo
answers {"error": 0, "data": {"msg_id": …}} or a negative error code. An expired token (-124) is
refreshed once with the OA's refresh token (POST ZALO_OAUTH_URL, header `secret_key`, form
app_id/refresh_token/grant_type=refresh_token); the new pair is kept in the database (ZaloToken),
since Zalo's refresh token is single-use. Optional: without ZALO_OA_ACCESS_TOKEN, nobody gets Zalo.
"""
from __future__ import annotations

import datetime as dt
import logging

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .errors import PermanentError, TemporaryError

logger = logging.getLogger(__name__)

# (connect, read) seconds. A slow Zalo holds a worker, never a shopper (delivery runs in Celery).
TIMEOUT = (3.05, 10)
TOKEN_INVALID = -124  # "Access token invalid": expired or revoked
# Zalo documents -100 as "unknown error, try again later"; every other code (bad phone -108, template
# id invalid -109, template data invalid -112, out of quota, template not approved …) needs a person.
TEMPORARY_CODES = {-100}


def is_configured() -> bool:
    return bool(settings.ZALO_OA_ACCESS_TOKEN)


def template_id(event: str) -> str:
    return str(settings.ZALO_ZNS_TEMPLATES.get(event) or "")


def current_token() -> str:
    from ..models import ZaloToken

    row = ZaloToken.objects.order_by("-pk").first()
    return row.access_token if row else settings.ZALO_OA_ACCESS_TOKEN


def refresh_token(*, expired: str) -> str:
    """A new access token for the one that failed. Locked, so two workers never spend the single-use
    refresh token twice: the second finds the row already renewed and takes that token."""
    from ..models import ZaloToken

    with transaction.atomic():
        row = ZaloToken.objects.select_for_update(no_key=True).order_by("-pk").first()
        if row is None:
            row = ZaloToken.objects.create(access_token=settings.ZALO_OA_ACCESS_TOKEN,
                                           refresh_token=settings.ZALO_OA_REFRESH_TOKEN)
            row = ZaloToken.objects.select_for_update(no_key=True).get(pk=row.pk)
        if row.access_token != expired:
            return row.access_token  # another worker refreshed it meanwhile
        if not (row.refresh_token and settings.ZALO_APP_ID and settings.ZALO_APP_SECRET):
            raise PermanentError("Zalo access token expired and no refresh token/app is configured "
                                 "(ZALO_OA_REFRESH_TOKEN, ZALO_APP_ID, ZALO_APP_SECRET)")
        try:
            response = requests.post(settings.ZALO_OAUTH_URL, headers={"secret_key": settings.ZALO_APP_SECRET},
                                     data={"app_id": settings.ZALO_APP_ID, "refresh_token": row.refresh_token,
                                           "grant_type": "refresh_token"}, timeout=TIMEOUT)
            body = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise TemporaryError(f"Zalo token refresh: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500:
            raise TemporaryError(f"Zalo token refresh: HTTP {response.status_code}")
        if not body.get("access_token"):
            raise PermanentError(f"Zalo token refresh refused: {body.get('error')} {body.get('error_name', '')} "
                                 f"{body.get('error_description', '')}".strip())
        row.access_token = body["access_token"]
        row.refresh_token = body.get("refresh_token") or row.refresh_token
        row.expires_at = timezone.now() + dt.timedelta(seconds=int(body.get("expires_in") or 0))
        row.save()
        logger.info("Zalo OA access token refreshed")
        return row.access_token


def _post(token: str, body: dict) -> dict:
    try:
        response = requests.post(settings.ZALO_ZNS_URL, json=body, timeout=TIMEOUT,
                                 headers={"access_token": token, "Content-Type": "application/json"})
    except requests.ConnectionError as exc:  # Zalo never had the message: safe to try again
        raise TemporaryError(f"Zalo unreachable: {exc}") from exc
    except requests.Timeout as exc:
        # Zalo may have sent it (and charged for it): re-sending could send it twice.
        raise PermanentError("Zalo did not answer in time: outcome unknown, check the ZNS log in the "
                             "Zalo console before sending it again") from exc
    if response.status_code >= 500:
        raise TemporaryError(f"Zalo HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError as exc:
        raise TemporaryError(f"Zalo answered HTTP {response.status_code} with no JSON") from exc


def send(*, phone: str, template: str, data: dict, tracking_id: str) -> str:
    """Send one ZNS template message; returns Zalo's msg_id."""
    body = {"phone": phone, "template_id": template, "template_data": data, "tracking_id": tracking_id}
    token = current_token()
    answer = _post(token, body)
    if answer.get("error") == TOKEN_INVALID:
        answer = _post(refresh_token(expired=token), body)
    code = answer.get("error")
    if code == 0:
        return str((answer.get("data") or {}).get("msg_id", ""))
    error = f"Zalo error {code}: {answer.get('message', '')}"
    if code in TEMPORARY_CODES:
        raise TemporaryError(error)
    raise PermanentError(error)

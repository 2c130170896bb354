"""The carriers' HTTP calls: JSON over requests, a timeout on every call, errors as CarrierError."""
from __future__ import annotations

import logging

import requests

from .base import CarrierError

logger = logging.getLogger(__name__)


def call(method: str, url: str, *, headers: dict, timeout: float, json=None, params=None,
         raw: bool = False):
    """The decoded JSON answer (or the response itself when `raw`)."""
    try:
        response = requests.request(method, url, headers=headers, json=json, params=params, timeout=timeout)
    except requests.Timeout as error:
        raise CarrierError("timeout") from error
    except requests.RequestException as error:
        raise CarrierError("unreachable") from error
    if response.status_code >= 500:
        logger.warning("%s %s answered %s", method, url, response.status_code)
        raise CarrierError(f"server error {response.status_code}")
    if raw and response.ok and not response.headers.get("Content-Type", "").startswith("application/json"):
        return response
    try:
        data = response.json()
    except ValueError as error:
        raise CarrierError(f"not JSON ({response.status_code})") from error
    if not isinstance(data, dict):
        raise CarrierError("unexpected answer")
    if response.status_code >= 400:
        raise CarrierError(str(data.get("message") or data.get("code_message") or response.status_code)[:300],
                           retryable=False)
    return data

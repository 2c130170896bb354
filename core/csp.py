"""django-csp's middleware, its policy built once per process (issue 21).

django-csp builds the Content-Security-Policy header from the settings on every response, twice
(the policy and the report-only one, which is empty here): a copy of every directive, a sort, a
join, about 0.1 ms a response, cached page hits included. The header differs between two
responses only by the nonce, so it is built once per setting (with a marker for the nonce) and the
response's nonce put in; a view that sets its own policy (django-csp's decorators) gets
django-csp's own build. The header is the one django-csp writes, byte for byte
(tests/shop/test_csp.py).
"""
from __future__ import annotations

import http.client as http_client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_NONCE_MARK = "\x00ocop-nonce\x00"
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
_built: dict = {}  # (report only, with a nonce) → (the setting it was built from, the policy)


@receiver(setting_changed)
def _forget(**kwargs):
    if kwargs.get("setting", "").startswith("CONTENT_SECURITY_POLICY"):
        _built.clear()


def policy(report_only: bool, nonce: str | None) -> str:
    """build_policy(nonce=nonce, report_only=report_only) for the settings' policy."""
    setting = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY",
                      None)
    key = (report_only, bool(nonce))
    entry = _built.get(key)
    if entry is None or entry[0] is not setting:
        entry = _built[key] = (setting, build_policy(nonce=_NONCE_MARK if nonce else None, report_only=report_only))
    return entry[1].replace(_NONCE_MARK, nonce) if nonce else entry[1]


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        if any(getattr(response, name, None) is not None for name in _OWN_POLICY):
            return super().process_response(request, response)
        if response.status_code in (http_client.INTERNAL_SERVER_ERROR, http_client.NOT_FOUND) and settings.DEBUG:
            return response
        nonce = getattr(request, "_csp_nonce", None)
        for report_only, header, exempt in ((False, HEADER, "_csp_exempt"), (True, HEADER_REPORT_ONLY, "_csp_exempt_ro")):
            csp = policy(report_only, nonce)
            if not csp or getattr(response, exempt, False) is not False or header in response:
                continue
            setting = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY",
                              None) or {}
            if not request.path_info.startswith(tuple(setting.get("EXCLUDE_URL_PREFIXES", None) or ())):
                response[header] = csp
        # as django-csp: the nonce may not be read once the header is written
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

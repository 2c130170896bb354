"""Rate limits on what an attacker can hammer cheaply (django-ratelimit on the default cache).

Each limit is per client address (core.client_ip, so TRUSTED_PROXIES is honoured) and per
fixed window; the rates are settings (RATELIMIT_*, from the environment). Past the limit the
answer is 429 with Retry-After: a short page in the shop's look, or JSON for JSON endpoints.
A cache that cannot be reached (Redis down) lets the request through: the shop stays up and the
outage is logged; the limits are a brake, not a door.
"""
from __future__ import annotations

import logging
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from core.client_ip import ratelimit_key

logger = logging.getLogger(__name__)


def over_limit(request, *, group: str, rate_setting: str):
    """The 429 response when this request goes past the group's limit, else None. Counts it."""
    try:
        usage = get_usage(request, group=group, key=ratelimit_key, rate=getattr(settings, rate_setting),
                          increment=True)
    except Exception:  # the cache is down: serve rather than fail (see the module's docstring)
        logger.warning("rate limit %s not checked: cache unavailable", group, exc_info=True)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return too_many_requests(request, retry_after=max(1, usage["time_left"]))


def limit(group: str, rate_setting: str):
    """Decorator for a function view: over_limit() first."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = over_limit(request, group=group, rate_setting=rate_setting)
            return refused if refused is not None else view(request, *args, **kwargs)
        return wrapped
    return decorator


def _wants_json(request) -> bool:
    return "json" in request.headers.get("Accept", "") or request.path.endswith(("/suggest/", "/webhook/"))


def too_many_requests(request, *, retry_after: int):
    if _wants_json(request):
        response = JsonResponse({"error": _("Too many requests. Please wait a moment and try again."),
                                 "retry_after": retry_after}, status=429)
    else:
        response = render(request, "ocop/security/too_many_requests.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response

"""Who is asking: the one client-address rule for every per-client counter (order tracking
failures, login lockouts in django-axes, rate limits in django-ratelimit).

Behind TRUSTED_PROXIES reverse proxies, each appends to X-Forwarded-For the address it saw, so the
client is that many entries from the right; the entries further left are whatever the client
chose to send and are never trusted. With no proxy (the default) X-Forwarded-For is ignored.
"""
from django.conf import settings


def client_ip(request) -> str:
    proxies = settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ratelimit_key(group, request) -> str:
    """django-ratelimit's key= callable (group, request): the same address as above."""
    return client_ip(request)

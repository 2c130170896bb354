"""Who is asking: the one client-address rule for every per-client counter (order tracking
failures, login lockouts in django-axes, rate limits in django-ratelimit).

Behind TRUSTED_PROXIES reverse proxies, each appends to X-Forwarded-For the address it saw, so the
client is that many entries from the right; the entries further left are whatever the client
chose to send and are never trusted. With no proxy (the default) X-Forwarded-For is ignored.
Only a real IP address is ever returned: django-axes stores it in an inet column on PostgreSQL,
where anything else fails the sign-in.
"""
import ipaddress

from django.conf import settings

UNKNOWN = "unknown"  # one shared counter key for requests without an address (a unix socket)


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def axes_client_ip(request) -> str | None:
    """The client's IP address, or None when the request carries none."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        address = _address(forwarded[-proxies][:64])
        if address:
            return address
    return _address(request.META.get("REMOTE_ADDR", "") or "")


def client_ip(request) -> str:
    """The same address as a counter key: never empty."""
    return axes_client_ip(request) or UNKNOWN


def ratelimit_key(group, request) -> str:
    """django-ratelimit's key= callable (group, request): the same address as above."""
    return client_ip(request)

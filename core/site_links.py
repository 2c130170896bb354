"""Absolute links to the shop in messages (e-mails, texts), decided in one place.

Messages are rendered by a worker, outside any request, so a link cannot come from the request
that is being answered. The rule, in this order:
1. SITE_DOMAIN when it is set in the environment: the public address of a deployment;
2. the host the shopper used, when a request caused the message (the checkout passes it to the
   task that sends the confirmation): `make run` on another port, a LAN address, a tunnel;
3. the Sites framework's domain (SITE_DOMAIN's default, written after migrate).
Before this, every e-mail linked to the Sites framework's row, fixed when the database was first
migrated: port 8000 whatever the shop's address (issue 19).
"""
from __future__ import annotations

from django.conf import settings


def _scheme(request) -> str:
    if request is not None:
        return request.scheme  # https behind the proxy too (SECURE_PROXY_SSL_HEADER)
    return "https" if settings.SECURE_SSL_REDIRECT else "http"


def site_root(request=None) -> str:
    """"scheme://host[:port]" with no trailing slash."""
    if settings.SITE_DOMAIN_FROM_ENV:
        domain = settings.SITE_DOMAIN
    elif request is not None:
        domain = request.get_host()  # checked against ALLOWED_HOSTS by Django
    else:
        from django.contrib.sites.models import Site

        domain = Site.objects.get_current().domain
    return f"{_scheme(request)}://{domain}"


def absolute(path: str, root: str | None = None) -> str:
    """`path` on the shop; `root` when the cause's request already decided it (see site_root)."""
    return f"{(root or site_root()).rstrip('/')}{path}"

"""Service checks, shared by /healthz and the `preflight` command.

Each check returns (state, detail): state is "ok", "inline" (no broker configured: tasks run in
the web process), "local" (no Redis: a per-process memory cache) or "down"; detail is one human
line saying what is wrong.
"""
from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> tuple[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; say which
        return "down", f"database unreachable ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}): {_first_line(exc)}"
    return "ok", ""


def check_broker() -> tuple[str, str]:
    url = settings.CELERY_BROKER_URL
    if not url:
        return "inline", ""
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return "down", f"broker unreachable at {_redact(url)}: {_first_line(exc)}"
    return "ok", ""


def check_cache() -> tuple[str, str]:
    """Redis as the cache sees it, asked directly: the cache itself turns failures into misses
    (core/redis_cache.py), so its answers cannot tell."""
    url = settings.REDIS_URL
    if not url:
        return "local", ""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
                                  socket_timeout=settings.REDIS_SOCKET_TIMEOUT)
    try:
        client.ping()
    except Exception as exc:
        return "down", f"cache (Redis) unreachable at {_redact(url)}: {_first_line(exc)}; pages are served uncached"
    finally:
        client.close()
    return "ok", ""


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text.splitlines()[0].rstrip(".")


def _redact(url: str) -> str:
    """Hide a password in a service URL before it is printed or returned."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url

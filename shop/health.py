"""Service checks, shared by /healthz and the `preflight` command.

A probe asks each service once on the connections the process keeps (the database's persistent
connection, one Redis pool per URL): one database round trip and one PING per Redis, no new
connection, so /healthz costs less than a page served from the cache.

Each check returns (state, detail): state is "ok", "inline" (no broker configured: tasks run in
the web process), "local" (no Redis: a per-process memory cache) or "down"; detail is one human
line saying what is wrong.
"""
from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> tuple[str, str]:
    try:
        if not _answered_in_this_request():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; say which
        return "down", f"database unreachable ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}): {_first_line(exc)}"
    return "ok", ""


def _answered_in_this_request() -> bool:
    """Did the database just answer? With CONN_HEALTH_CHECKS (PostgreSQL here), Django pings a
    kept connection before its first query of each request, and a new connection answered by
    opening: our own SELECT 1 after that was a second round trip per probe for nothing. Only a
    ping or a connection made here counts: a check done before this call (an earlier request of a
    process whose requests do not reset it, a command) is not trusted. Raises what opening the
    connection raises."""
    checked_before = connection.health_check_done
    connection.close_if_health_check_failed()  # the ping, on a connection kept from an earlier request
    connection.ensure_connection()  # or a new connection
    return bool(not checked_before and connection.health_check_enabled and connection.health_check_done)


# One client (and so one connection pool) per Redis URL and process: /healthz is probed every few
# seconds by the proxy and compose, and a new TCP connection per probe cost more than the page.
_redis_clients: dict = {}


def redis_client(url: str):
    client = _redis_clients.get(url)
    if client is None:
        import redis

        client = _redis_clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT, socket_timeout=settings.REDIS_SOCKET_TIMEOUT)
    return client


def _ping(url: str, what: str, answers: dict | None = None) -> tuple[str, str]:
    """`answers`: the pings already made by this probe, by URL (the broker and the cache are
    usually one Redis: one PING answers for both)."""
    if answers is not None and url in answers:
        error = answers[url]
    else:
        try:
            redis_client(url).ping()
            error = None
        except Exception as exc:
            error = exc
        if answers is not None:
            answers[url] = error
    if error is not None:
        return "down", f"{what} unreachable at {_redact(url)}: {_first_line(error)}"
    return "ok", ""


def check_broker(answers: dict | None = None) -> tuple[str, str]:
    url = settings.CELERY_BROKER_URL
    if not url:
        return "inline", ""
    if url.startswith(("redis://", "rediss://")):
        return _ping(url, "broker", answers)
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return "down", f"broker unreachable at {_redact(url)}: {_first_line(exc)}"
    return "ok", ""


def check_cache(answers: dict | None = None) -> tuple[str, str]:
    """Redis as the cache sees it, asked directly: the cache itself turns failures into misses
    (core/redis_cache.py), so its answers cannot tell."""
    url = settings.REDIS_URL
    if not url:
        return "local", ""
    state, detail = _ping(url, "cache (Redis)", answers)
    return state, detail and f"{detail}; pages are served uncached"


def check_all() -> dict[str, tuple[str, str]]:
    """Every service, each asked once: one database round trip at most, one PING per Redis."""
    answers: dict = {}
    return {"database": check_database(), "broker": check_broker(answers), "cache": check_cache(answers)}


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

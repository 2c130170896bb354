"""The Redis cache fails fast and quietly when Redis is down (settings: CACHES, LOGGING).

django-redis with IGNORE_EXCEPTIONS turns every failed cache call into a miss (get) or a no-op
(set, delete, incr answer None) and logs it. What it does not do is stop trying: a listing page
makes about fifty cache calls (cards, page, version), so a Redis that refuses connections costs
fifty refused connects and fifty logged tracebacks per page, and one that hangs (frozen, cut off)
costs fifty socket timeouts, 25 s at 0.5 s each. `FailFastRedisCache` is django-redis's cache with
a circuit breaker: a call that fails with a connection error or a timeout marks this Redis down
for REDIS_RETRY_SECONDS, for the whole process; meanwhile every call fails at once without touching
the network (as an ignored failure, exactly like a refused connection), and `SkipWhileRedisDown`
keeps those from the log. An outage costs one timeout, one logged traceback and one warning per
process and retry period.
"""
from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("shop.cache")


class RedisMarkedDown(RedisConnectionError):
    """Raised instead of calling Redis while it is marked down."""


class Breaker:
    """One per Redis location and process (Django makes a cache object per thread)."""

    _all: dict[str, Breaker] = {}
    _all_lock = threading.Lock()

    def __init__(self, location: str):
        self.location = location
        self.down_until = 0.0

    @classmethod
    def for_location(cls, location: str) -> Breaker:
        with cls._all_lock:
            return cls._all.setdefault(location, cls(location))

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def trip(self, exc: BaseException) -> None:
        seconds = getattr(settings, "REDIS_RETRY_SECONDS", 5.0)
        already = self.is_open()
        self.down_until = time.monotonic() + seconds
        if not already:
            logger.warning("Redis unreachable (%s: %s): cache calls are misses for %.1f s, then retried",
                           type(exc).__name__, exc, seconds)

    def reset(self) -> None:
        self.down_until = 0.0


def _is_outage(exc: ConnectionInterrupted) -> bool:
    return isinstance(exc.__cause__, (RedisConnectionError, RedisTimeoutError, OSError))


class _GuardedClient:
    """django-redis's client, behind the breaker: each of its methods is where a call reaches Redis."""

    def __init__(self, client, breaker: Breaker):
        self._client, self._breaker = client, breaker

    def __getattr__(self, name):
        if not callable(getattr(type(self._client), name, None)):
            return getattr(self._client, name)
        breaker = self._breaker

        def guarded(*args, **kwargs):
            if breaker.is_open():
                try:
                    raise RedisMarkedDown(f"Redis at {breaker.location} marked down; not retried yet")
                except RedisMarkedDown as exc:
                    raise ConnectionInterrupted(connection=None) from exc
            try:
                return getattr(self._client, name)(*args, **kwargs)
            except ConnectionInterrupted as exc:
                if _is_outage(exc):
                    breaker.trip(exc.__cause__)
                raise

        return guarded


class FailFastRedisCache(RedisCache):
    @property
    def client(self):
        if self._client is None:
            self._client = _GuardedClient(self._client_cls(self._server, self._params, self),
                                          Breaker.for_location(str(self._server)))
        return self._client

    @property
    def breaker(self) -> Breaker:
        return Breaker.for_location(str(self._server))


class SkipWhileRedisDown(logging.Filter):
    """Drop django-redis's "Exception ignored" records for calls that never reached the network."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        while exc is not None:
            if isinstance(exc, RedisMarkedDown):
                return False
            exc = exc.__cause__ or exc.__context__
        return True

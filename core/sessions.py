"""Sessions in the database, read through the Redis cache (Django's cached_db), with the cached copy
kept for at most SESSION_CACHE_SECONDS.

Why the cap: cached_db writes the database first, then the cache. While Redis is down the cache
write fails (logged, ignored) and the database alone is right; a Redis that comes back with its
data (append-only file, a network cut) still holds the copy from before the outage, which would be
read instead of the database until the session expires (two weeks). Capped, such a copy is gone
at most SESSION_CACHE_SECONDS after it was written: a stale read after an outage lasts minutes,
and costs one database read per session per few minutes in normal operation.
"""
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBSessionStore


class _CappedCache:
    """The session cache, with every entry's lifetime cut to `seconds`."""

    def __init__(self, cache, seconds: int):
        self._cache, self._seconds = cache, seconds

    def _cap(self, timeout):
        return self._seconds if timeout is None else min(timeout, self._seconds)

    def set(self, key, value, timeout=None, **kwargs):
        return self._cache.set(key, value, self._cap(timeout), **kwargs)

    async def aset(self, key, value, timeout=None, **kwargs):
        return await self._cache.aset(key, value, self._cap(timeout), **kwargs)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(CachedDBSessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CappedCache(self._cache, settings.SESSION_CACHE_SECONDS)

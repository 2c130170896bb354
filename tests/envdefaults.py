"""Loaded by pytest before Django (see pytest.ini): the environment the suite runs in.

Values already set (by .ci/run, or by the developer) win: DATABASE_URL and REDIS_URL switch the
service tests on.
"""
import os
import re
import tempfile

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ocop-test-media-"))
# The suite's own broker, when there is one, is REDIS_URL; a developer's .env must not leak in.
os.environ.setdefault("EMAIL_URL", "consolemail://")
# Whole-page cache off: most tests read response.context; tests/catalog_ext/speed switch it on.
os.environ.setdefault("OCOP_PAGE_CACHE", "0")
# Rate limits (core/ratelimits.py) count per address across the whole session's cache, and every
# test client is 127.0.0.1: far above any test's traffic. tests/shop/test_rate_limits.py sets low ones.
for _name in ("RATELIMIT_SEARCH", "RATELIMIT_SUGGEST", "RATELIMIT_WEBHOOK"):
    os.environ.setdefault(_name, "100000/h")


def _redis_of_this_worker(url: str, worker: str) -> str:
    """Under pytest-xdist (`make test` runs two workers) each worker gets a Redis database of its own,
    counted down from the one given (gw0 keeps it, gw1 takes the one below): a worker's cache.clear(),
    its rate-limit counters and its broker's queues are then never another worker's. pytest-django
    already gives each worker a test database of its own (test_<name>_gw1)."""
    index = int(worker.removeprefix("gw") or 0)
    match = re.match(r"^(redis://[^/]*)/(\d+)$", url)
    if not match or index == 0:
        return url
    return f"{match[1]}/{(int(match[2]) - index) % 16}"


_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker:  # the controller's MEDIA_ROOT, inherited: each worker's demo writes its own pictures
    os.environ["MEDIA_ROOT"] = os.path.join(os.environ["MEDIA_ROOT"], _worker)
    os.makedirs(os.environ["MEDIA_ROOT"], exist_ok=True)
for _name in ("REDIS_URL", "CELERY_BROKER_URL"):
    if _worker and os.environ.get(_name):
        os.environ[_name] = _redis_of_this_worker(os.environ[_name], _worker)

"""Fixtures shared by the whole suite."""
import os

import pytest
from django.core.management import call_command
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _service_missing(what: str, why: str):
    """Skip a service test with its reason; under CI=true a missing service is a failure."""
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true: {why}")
    pytest.skip(why)


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        _service_missing("PostgreSQL", "needs DATABASE_URL=postgres://… (running on SQLite)")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        _service_missing("Redis", "needs REDIS_URL=redis://…")
    return url


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Passwords hashed with MD5 in the suite's own process, as Django's testing docs advise: the
    production hasher (PBKDF2, a million rounds) takes about half a second of CPU per password, and
    the demo's accounts, the factories and every `client.login` hash one. Servers the suite starts
    in a process of their own (the browser tests', the load run's) keep the production hasher;
    tests/shop/test_settings.py checks what production uses."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, fast_password_hashing):
    """Load the Sơn La demo once per session: tests see the catalogue a user sees. Its tasks (the
    photos' thumbnails, made after the commit) run inline, as in every test (tasks_inline below):
    handed to a broker no worker reads, the thumbnails would stay queued and every page would show
    the placeholder. The cache starts empty: a Redis kept from an earlier run knows of thumbnails
    and pages that this session's database and media do not have."""
    from django.core.cache import cache

    from shop.celery import app

    cache.clear()
    before, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with django_db_blocker.unblock():
            call_command("load_demo", "--quiet-accounts", verbosity=0, stdout=open(os.devnull, "w"))
    finally:
        app.conf.task_always_eager = before


# The longest modules (1-5 minutes each on 2 cores), started first: `make test` runs a module on one
# pytest-xdist worker (--dist loadfile) and keeps the collected order (--no-loadscope-reorder), so
# a long module started late kept one worker busy after the other had finished everything else.
LONGEST_FIRST = (
    "tests/shop/test_bad_input_crawl.py",
    "tests/shop/test_bad_input_crawl_superuser.py",
    "tests/i18n/test_vietnamese_pages.py",
    "tests/shop/test_compose.py",
)


def _longest_first(item) -> int:
    path = item.nodeid.split("::", 1)[0]
    return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)


def _commits(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _reads_the_demo(item) -> bool:
    return not _commits(item) and (item.get_closest_marker("django_db") is not None
                                   or "db" in getattr(item, "fixturenames", ()))


def _no_file_mixes_commits_with_demo_tests(items) -> None:
    """A test that commits (transaction=True) flushes its database afterwards: the demo that
    django_db_setup loaded once is gone for every later test of its worker. pytest-django runs those
    tests after the others, but `make test` hands a whole file to one worker at the place of its
    first test (--dist loadfile): a file mixing both kinds runs its committing tests mid-run. (CI met
    it: 127 tests of one worker failed without the demo.)"""
    kinds: dict[str, set] = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        kinds.setdefault(path, set()).add("commits" if _commits(item) else "demo" if _reads_the_demo(item) else "")
    mixed = sorted(path for path, seen in kinds.items() if {"commits", "demo"} <= seen)
    if mixed:
        raise pytest.UsageError("tests that commit (transaction=True) share a file with tests that read "
                                "the demo; move them to a file of their own: " + ", ".join(mixed))


def pytest_collection_modifyitems(config, items):
    _no_file_mixes_commits_with_demo_tests(items)
    # A stable sort: the browser tests stay last (tests/e2e/conftest.py), the rest keep their order.
    items.sort(key=lambda item: (item.get_closest_marker("browser") is not None, _longest_first(item)))
    for item in items:
        if item.get_closest_marker("postgres") and "postgres" not in item.fixturenames:
            item.fixturenames.append("postgres")
        if item.get_closest_marker("redis") and "redis_url" not in item.fixturenames:
            item.fixturenames.append("redis_url")


@pytest.fixture(autouse=True)
def tasks_inline(request):
    """Tasks run inline in tests, as in development, even when CI sets REDIS_URL: a test about
    what a task does must not depend on a worker being up. Tests about the broker itself are
    marked `redis` and see the configured broker."""
    if request.node.get_closest_marker("redis"):
        yield
        return
    from shop.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def view_counts_written_only_when_asked(monkeypatch):
    """Product views are written in batches every 30 s (shop/view_counts.py); in tests a batch
    landing in the middle of a measured request would change its query count at random."""
    from shop import view_counts

    monkeypatch.setattr(view_counts, "FLUSH_SECONDS", 10**9)
    monkeypatch.setattr(view_counts, "FLUSH_VIEWS", 10**9)
    view_counts.forget_unwritten()  # counts of an earlier test name products it rolled back


@pytest.fixture(autouse=True)
def permissions_read_afresh():
    """Each test starts with no cached permissions (shop/dashboard/permission_cache.py): an entry kept
    by an earlier test would make a page's first request one query count or another at random."""
    from django.core.cache import cache

    from shop.dashboard.permission_cache import VERSION_KEY

    cache.delete(VERSION_KEY)


@pytest.fixture(autouse=True)
def default_language_each_test():
    """Each test starts in the shop's default language (tests/i18n/test_language_between_tests.py):
    the language middleware activates a visitor's choice for the thread and leaves it there, so a
    test that fetched an English page would hand English to whatever the next test builds outside
    a request."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()

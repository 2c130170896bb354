"""Browser tests: Playwright drives Debian's Chromium against a real server of the shop.

The server is a separate process (`manage.py runserver --noreload`) on its own SQLite file with the
Sơn La demo loaded, so a browser test sees exactly what `make run` serves and cannot disturb, or be
disturbed by, the test database of the rest of the suite. Screenshots and other artifacts go to
`artifacts/` (ignored by git; CI keeps it). Without Chromium the tests skip with the reason, and
under CI=true they fail (`.ci/run` installs it).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import _service_missing

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{workdir / 'e2e.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        SECRET_KEY="e2e-only-secret-key",
        EMAIL_URL="consolemail://",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


SERVER_DIRS: dict[str, Path] = {}  # base URL -> the server's folder (its e2e.sqlite3 and media/)


def _demo_shop_files(root: Path) -> Path:
    """A folder holding a migrated SQLite file with the demo loaded and its media, made once per test
    run and copied for each server: migrating and loading the demo cost about 40 s of CPU, and a run
    starts three servers (two xdist workers, and test_xss_inert's cached one). The first worker to
    take the lock builds it; the others wait, then copy it."""
    import fcntl

    template = root / "ocop-e2e-demo"
    with open(root / "ocop-e2e-demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "ready").exists():
            shutil.rmtree(template, ignore_errors=True)
            template.mkdir()
            env = _server_env(template)
            _manage(env, "migrate", "--noinput", "-v", "0")
            _manage(env, "load_demo", "--quiet-accounts")
            (template / "ready").touch()
    return template


def _run_root(base: Path, worker: bool) -> Path:
    # Under xdist each worker's base temp is a child of the run's own: the parent is shared by the run.
    return base.parent if worker else base


_building: dict[Path, threading.Thread] = {}  # the run's folder -> the thread building the demo shop in it


@pytest.fixture(scope="session")
def demo_shop_files(tmp_path_factory, worker_id) -> Path:
    root = _run_root(tmp_path_factory.getbasetemp(), worker_id != "master")
    if root in _building:  # started at collection (below): wait for it, then take it (or build it here
        _building.pop(root).join()  # if that failed, which then says why)
    return _demo_shop_files(root)


def start_shop_server(demo_files: Path, **extra_env):
    """A running shop with the demo loaded (a copy of `demo_files`): yields its base URL, stops it
    afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="ocop-e2e-"))
    for item in demo_files.iterdir():  # the SQLite file (and its -wal, if any) and media/
        if item.name.startswith("e2e.sqlite3") and not item.name.endswith("-shm"):
            shutil.copy2(item, workdir / item.name)
        elif item.is_dir():
            shutil.copytree(item, workdir / item.name)
    env = {**_server_env(workdir), **extra_env}
    port = _free_port()
    log = open(workdir / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the e2e server did not start: " + (workdir / "server.log").read_text()[-2000:]) from None
            time.sleep(0.3)
    SERVER_DIRS[base] = workdir
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def shop_server(demo_shop_files):
    """Base URL of a running shop with the demo loaded (one per test session)."""
    yield from start_shop_server(demo_shop_files)


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright's sync API keeps an event loop running on the main thread
    while its browser is open, and Django then refuses database work there
    (SynchronousOnlyOperation) in any test that would come after."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_collection_finish(session):
    """The browser tests come last, and their demo shop takes a minute to build: start building it
    now (when any is selected), beside the other tests, so that no worker waits for it at the end."""
    config = session.config
    if any(item.get_closest_marker("browser") for item in session.items) and os.access(CHROMIUM, os.X_OK):
        root = _run_root(config._tmp_path_factory.getbasetemp(), hasattr(config, "workerinput"))
        if root not in _building:
            _building[root] = threading.Thread(target=_demo_shop_files_quietly, args=(root,), daemon=True)
            _building[root].start()


def _demo_shop_files_quietly(root: Path) -> None:
    try:
        _demo_shop_files(root)
    except Exception:  # noqa: BLE001 - the fixture builds it again, and its error names the cause
        pass


@pytest.fixture(scope="session")
def chromium():
    """One browser for all browser tests, which run last (see pytest_collection_modifyitems)."""
    if not os.access(CHROMIUM, os.X_OK):
        _service_missing("Chromium", f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, shop_server):
    """new_page(viewport=PHONE) -> a Playwright page in a fresh context whose base URL is the shop."""
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = chromium.new_context(viewport=viewport, base_url=shop_server, locale="vi-VN", **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

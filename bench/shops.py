"""Prepare the two shops (database, seed) and serve them with gunicorn, all under one temp dir."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

PY = sys.executable
# Variables that would point a child at another database, broker or settings module.
_SCRUB = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "BASELINE_SEARCH")


# A bench that runs our shop in its own process (Django's test client, no socket): production-like
# (DEBUG off: cached templates; no broker, mail to nowhere), minus HTTPS, whatever the shell's
# DEBUG (the Makefile exports DEBUG=1 for `make run`).
IN_PROCESS = dict(DEBUG="0", SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0",
                  SECURE_HSTS_SECONDS="0", ALLOWED_HOSTS="testserver", STATIC_MANIFEST="0",
                  CELERY_BROKER_URL="", EMAIL_URL="dummymail://")


def in_process_settings(**more: str) -> None:
    """Set this process's environment for `IN_PROCESS` (plus `more`) before Django starts; a
    SECRET_KEY, LOG_LEVEL or settings module already set is kept."""
    os.environ.update(IN_PROCESS, **more)
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")


class StepFailed(Exception):
    """A preparation step or a server could not run; the message is one line for the user."""


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def ours_env(tmp: Path, database_url: str, *, redis_url: str = "") -> dict[str, str]:
    """Production-like settings (DEBUG=0: cached templates, no toolbar work), minus HTTPS, which a
    plain-HTTP bench on 127.0.0.1 cannot follow. No Redis: local memory cache, tasks inline."""
    env = base_env()
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_MANIFEST="0",
        STATIC_ROOT=str(tmp / "ours-static"),
        MEDIA_ROOT=str(tmp / "ours-media"),
        SERVE_MEDIA="1",
        REDIS_URL="",
        CELERY_BROKER_URL="",
        EMAIL_URL="consolemail://",
        LOG_LEVEL="WARNING",
        # Every simulated visitor comes from 127.0.0.1: the per-address limits (60 searches a
        # minute) would time the 429 page. tests/shop/test_rate_limits.py proves the limits.
        RATELIMIT_SEARCH="10000000/m",
        RATELIMIT_SUGGEST="10000000/m",
        RATELIMIT_WEBHOOK="10000000/m",
    )
    if redis_url:  # the production shape: one cache for both workers (the catalogue version is shared)
        env["REDIS_URL"] = redis_url
    (tmp / "ours-static").mkdir(exist_ok=True)  # whitenoise warns about a missing STATIC_ROOT
    return env


def plain_env(tmp: Path) -> dict[str, str]:
    env = base_env()
    env.update(
        BASELINE_DB=str(tmp / "plain.sqlite3"),
        BASELINE_INDEX=str(tmp / "plain-whoosh"),
        BASELINE_MEDIA=str(tmp / "plain-media"),
        BASELINE_STATIC=str(tmp / "plain-static"),
    )
    return env


def manage(cwd: Path, env: dict, *args: str, log: Path, timeout: float = 3600) -> float:
    """Run `manage.py args` quietly (output to the log); returns seconds taken."""
    started = time.monotonic()
    with open(log, "a") as out:
        out.write(f"\n$ manage.py {' '.join(args)}\n")
        out.flush()
        try:
            done = subprocess.run(
                [PY, "manage.py", *args], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            raise StepFailed(f"manage.py {args[0]} in {cwd} took more than {timeout:.0f} s") from None
    if done.returncode:
        raise StepFailed(f"manage.py {' '.join(args)} in {cwd} failed: {last_line(log)}")
    return time.monotonic() - started


def last_line(log: Path) -> str:
    try:
        lines = [ln.strip() for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return "(no log)"
    return lines[-1] if lines else "(no output)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_cmd() -> list[str]:
    # The virtualenv's own gunicorn, i.e. the one beside the Python running the bench.
    beside = Path(PY).parent / "gunicorn"
    return [str(beside)] if beside.exists() else [PY, "-m", "gunicorn"]


class Server:
    """One gunicorn (2 sync workers) on a free port of 127.0.0.1, in its own process group so
    stopping it also stops its workers."""

    def __init__(self, name: str, cwd: Path, env: dict, wsgi: str, ready_path: str, log: Path, *,
                 port: int | None = None, workers: int = 2):
        self.name, self.cwd, self.env, self.wsgi, self.ready_path, self.log = name, cwd, env, wsgi, ready_path, log
        self.port = port or free_port()
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 60) -> Server:
        cmd = [*gunicorn_cmd(), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "120", self.wsgi]
        with open(self.log, "a") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise StepFailed(f"gunicorn for {self.name} exited: {last_line(self.log)}")
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=2) as r:
                    if r.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        raise StepFailed(f"gunicorn for {self.name} did not answer {self.ready_path} within {wait:.0f} s")

    def stop(self) -> None:
        stop_group(self.proc)


def stop_group(proc: subprocess.Popen | None, wait: float = 10) -> None:
    """Stop a child started with start_new_session=True, and everything it started (gunicorn's or
    celery's worker processes): SIGTERM to its own process group, SIGKILL if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)
    except ProcessLookupError:
        pass


class Worker:
    """A real `celery -A shop worker` (prefork) in its own process group, logging to `log`."""

    def __init__(self, cwd: Path, env: dict, log: Path, *, concurrency: int = 2):
        self.cwd, self.env, self.log, self.concurrency = cwd, env, log, concurrency
        self.proc: subprocess.Popen | None = None

    def start(self) -> Worker:
        cmd = [PY, "-m", "celery", "-A", "shop", "worker", "--pool=prefork", f"--concurrency={self.concurrency}",
               "--loglevel=WARNING", "--without-mingle", "--without-gossip"]
        with open(self.log, "a") as out:
            self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        return self

    def stop(self) -> None:
        stop_group(self.proc, wait=30)  # a warm shutdown lets the tasks in hand finish


def fetch(url: str, timeout: float = 60) -> tuple[int, str, str]:
    """GET following redirects: (status, final path with query, body)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            final = urlsplit(r.geturl())
            return r.status, final.path + (f"?{final.query}" if final.query else ""), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, urlsplit(url).path, ""
    except OSError:  # refused, reset, timed out: no answer at all
        return 0, urlsplit(url).path, ""


# ---------------------------------------------------------------------------- PostgreSQL
def recreate_postgres(url: str, prefix: str = "ocop_bench", variable: str = "BENCH_DATABASE_URL") -> None:
    """Drop and create the bench database. Only a database named <prefix>… is ever dropped."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(prefix):
        raise StepFailed(f"{variable} must name a database starting with {prefix} (got {name!r})")
    with _admin(parts) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(url: str, prefix: str = "ocop_bench") -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name.startswith(prefix):
        with _admin(parts) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(parts):
    """A connection to the server's maintenance database, where CREATE/DROP DATABASE run."""
    import psycopg

    try:
        return psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        )
    except psycopg.Error as exc:
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise StepFailed(f"PostgreSQL at {parts.hostname}:{parts.port or 5432} unreachable: {detail}") from None


def product_count(url: str) -> int:
    """Public products of an existing bench database (its figures are for that size)."""
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=parts.username or "postgres",
                         password=parts.password or None, dbname=parts.path.lstrip("/"), connect_timeout=5) as conn:
        return conn.execute("SELECT COUNT(*) FROM catalogue_product WHERE is_public").fetchone()[0]

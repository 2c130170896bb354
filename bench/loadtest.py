"""`make loadtest`: a bounded load run of shoppers, producers and a cashier against the production
shape on 127.0.0.1 (gunicorn + PostgreSQL + Redis + a real Celery worker), then a check of the data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop REDIS_URL=redis://127.0.0.1:6379/5 make loadtest
    LOADTEST_SECONDS=60 LOADTEST_USERS=20 make loadtest      # the defaults
    python bench/loadtest.py --seconds 10 --users 6          # the same, on its own

1. The database `ocop_load` (LOADTEST_DATABASE_URL names another, which must start with
   ocop_load) on the server of DATABASE_URL is dropped and created, migrated, loaded with the demo
   and seeded with a small contested catalogue (bench/loadtest_world.py); every stock level is noted.
2. The fake carrier (GHN, or GHTK with LOADTEST_CARRIER=ghtk: the fakes of tests/carriers, in this
   process; bench/loadtest_rails.py) starts on a free port; gunicorn (WEB_CONCURRENCY sync workers,
   default 3, as in the image) on the first free port of 8640-8649 (or LOADTEST_PORT) and
   `celery -A shop worker` (2 processes) start, with DEBUG=0, Redis (REDIS_URL, or
   LOADTEST_REDIS_URL) as cache and broker, e-mail to a dummy backend, the carrier on the fake and
   SePay's webhook keyed.
3. locust, headless, runs bench/loadtest_users.py for LOADTEST_SECONDS with LOADTEST_USERS users:
   one cashier, two producers, two members (shoppers with an account, who ask for returns), the
   carrier's people, the bank (SePay webhooks), an office clerk; the rest guest shoppers (cash on
   delivery, VietQR, pick-up at the showroom). Its table is printed: requests, failures, req/s,
   p50/p95/p99 per action; then the outcomes that are no failure (sold out, price changed).
4. gunicorn stops; the worker is given up to 30 s to deliver what is pending; the checks run.
5. Everything started is stopped; the database is dropped unless LOADTEST_KEEP=1.

Exit status 0 only when every check passed; 1 when one failed or something could not run.
"""
from __future__ import annotations

import argparse
import atexit
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import loadtest_rails as rails  # noqa: E402  (after the path is set, as a script)
from bench import shops  # noqa: E402

DB_PREFIX = "ocop_load"
PORTS = range(8640, 8650)
DRAIN_SECONDS = 30
# A run of this many seconds or more is a full run: every kind of user must have done something, and
# every road after "Place order" (waybill, delivery with COD, refusal and receipt back, matched and
# unmatched transfer, pick-up, return) must have been taken at least once. A shorter run (the test
# inside `make test`) checks the data as strictly but only notes what was done.
FULL_SECONDS = 60
# bench/loadtest_users.py: 2 producers, 1 cashier, 2 members, the carrier, the bank, the office; the rest shoppers
FIXED_USERS = 8


def say(line: str = "") -> None:
    print(line, flush=True)


def options(argv):
    parser = argparse.ArgumentParser(description="Load run against gunicorn + PostgreSQL + Redis + a worker, "
                                                 "then check the data.")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("LOADTEST_SECONDS", "60")))
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOADTEST_USERS", "20")))
    parser.add_argument("--contested-stock", type=int, default=int(os.environ.get("LOADTEST_CONTESTED_STOCK", "20")),
                        help="units of each contested product (4 of them)")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.users < FIXED_USERS + 1:
        parser.error(f"--seconds must be positive and --users at least {FIXED_USERS + 1} "
                     f"({FIXED_USERS} are producers, the cashier, members, the carrier, the bank and the office)")
    return args


def services() -> tuple[tuple[str, str] | None, str]:
    """((load database URL, broker URL), "") or (None, why the run cannot start)."""
    given = os.environ.get("LOADTEST_DATABASE_URL", "")
    server = given or os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("LOADTEST_REDIS_URL", "") or os.environ.get("REDIS_URL", "")
    if not urlsplit(server).scheme.startswith("postgres"):
        return None, "needs DATABASE_URL=postgres://… (its server gets the ocop_load database) and REDIS_URL=redis://…"
    if not broker.startswith("redis"):
        return None, "needs REDIS_URL=redis://… (cache and broker) beside DATABASE_URL"
    url = given or urlunsplit(urlsplit(server)._replace(path=f"/{DB_PREFIX}"))
    if not urlsplit(url).path.lstrip("/").startswith(DB_PREFIX):
        return None, f"LOADTEST_DATABASE_URL must name a database starting with {DB_PREFIX}"
    return (url, broker), ""


def free_port() -> int:
    wanted = os.environ.get("LOADTEST_PORT")
    for port in ([int(wanted)] if wanted else PORTS):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise shops.StepFailed(f"no free port in {wanted or f'{PORTS.start}-{PORTS.stop - 1}'} on 127.0.0.1")


# ---------------------------------------------------------------------------- locust's figures
def read_stats(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def format_table(rows: list[dict], seconds: float) -> list[str]:
    """Requests per action (locust's CSV rows), then the outcomes, then the totals."""
    actions = [r for r in rows if r["Type"] not in ("", "OUTCOME") and r["Name"] != "Aggregated"]
    outcomes = [r for r in rows if r["Type"] == "OUTCOME"]
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    width = max([len(r["Name"]) for r in actions] + [28])
    head = f"{'action':<{width}} | {'requests':>8} | {'failed':>6} | {'req/s':>6} | {'p50 ms':>6} | {'p95 ms':>6} | {'p99 ms':>6}"
    lines = [head, "-" * len(head)]

    def row(name, r, requests=None, rate=None):
        requests = int(r["Request Count"]) if requests is None else requests
        rate = float(r["Requests/s"]) if rate is None else rate
        return (f"{name:<{width}} | {requests:>8} | {int(r['Failure Count']):>6} | {rate:>6.1f} | "
                f"{_ms(r['50%']):>6} | {_ms(r['95%']):>6} | {_ms(r['99%']):>6}")

    for r in sorted(actions, key=lambda r: r["Name"]):
        lines.append(row(r["Name"], r))
    if total is not None:
        # Outcomes are counted through locust's request event, at 0 ms: leave them out of the totals.
        counted = sum(int(r["Request Count"]) for r in outcomes)
        requests = int(total["Request Count"]) - counted
        lines.append("-" * len(head))
        lines.append(row("all requests", total, requests, requests / seconds if seconds else 0.0))
    if outcomes:
        lines.append("")
        lines.append("outcomes of a busy day (not failures):")
        lines += [f"  {r['Name']}: {r['Request Count']}" for r in sorted(outcomes, key=lambda r: r["Name"])]
    return lines


def _ms(value: str) -> str:
    return "—" if value in ("", "N/A") else f"{float(value):.0f}"


def failure_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [f"  {r['Occurrences']} × {r['Name']}: {r['Error'][:160]}" for r in read_stats(path)]


def server_errors(log: Path, limit: int = 5) -> list[str]:
    """The exceptions the shop logged (Django's request log with its traceback): each distinct last
    line with how often, and the application frame nearest to it, so a 500 says what broke."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return []
    seen: dict[str, list] = {}
    for i, line in enumerate(lines):
        if not line.startswith("Traceback (most recent call last)"):
            continue
        end = i + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
            end += 1
        if end >= len(lines):
            break
        ours = [ln.strip() for ln in lines[i:end] if ln.strip().startswith("File ") and "site-packages" not in ln]
        last = lines[end].strip()[:200]
        entry = seen.setdefault(last, [0, ours[-1] if ours else ""])
        entry[0] += 1
    out = [f"server errors in {log.name}:"] if seen else []
    for last, (count, frame) in list(seen.items())[:limit]:
        out.append(f"  {count} × {last}" + (f"\n      at {frame}" if frame else ""))
    return out


# ---------------------------------------------------------------------------- the run
class LoadTest:
    def __init__(self, seconds: float, users: int, contested_stock: int):
        self.seconds, self.users, self.contested_stock = seconds, users, contested_stock
        self.keep = os.environ.get("LOADTEST_KEEP") == "1"
        self.tmp = Path(tempfile.mkdtemp(prefix="ocop-loadtest-"))
        self.url = self.broker = ""
        self.server: shops.Server | None = None
        self.worker: shops.Worker | None = None
        self.carrier = rails.carrier_from_env()
        self.fake = None  # the fake carrier's server, started with the shop
        self.db_created = self.cleaned = self.keep_logs = False

    def cleanup(self) -> None:
        """Idempotent: from finally and again from atexit."""
        if self.cleaned:
            return
        self.cleaned = True
        for child in (self.server, self.worker, self.fake):
            if child is not None:
                child.stop()
        if self.db_created and not self.keep:
            try:
                shops.drop_postgres(self.url, prefix=DB_PREFIX)
            except Exception as exc:
                say(f"note: could not drop the load database: {exc}")
        if self.keep:
            say(f"LOADTEST_KEEP=1: kept the database {urlsplit(self.url).path.lstrip('/')} and {self.tmp}")
        elif self.keep_logs:
            say(f"logs of the failed run kept in {self.tmp} (gunicorn.log, worker.log, locust.log, checks.log)")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def env(self) -> dict:
        env = shops.ours_env(self.tmp, self.url)
        env.update(REDIS_URL=self.broker, CELERY_BROKER_URL=self.broker, EMAIL_URL="dummymail://",
                   LOG_LEVEL="ERROR", PYTHONPATH=str(PROJECT))
        if self.fake is not None:
            env.update(rails.shop_env(self.carrier, self.fake))
        return env

    def prepare(self, env: dict) -> Path:
        log = self.tmp / "prepare.log"
        shops.recreate_postgres(self.url, prefix=DB_PREFIX, variable="LOADTEST_DATABASE_URL")
        self.db_created = True
        t_migrate = shops.manage(PROJECT, env, "migrate", "--noinput", log=log)
        t_demo = shops.manage(PROJECT, env, "load_demo", "--quiet-accounts", log=log)
        world = self.tmp / "world.json"
        started = time.monotonic()
        self.child(env, [str(PROJECT / "bench" / "loadtest_world.py"), "--seed", str(world),
                         "--contested-stock", str(self.contested_stock)], log, "seeding")
        say(f"prepare: fresh database {urlsplit(self.url).path.lstrip('/')}, migrate {t_migrate:.1f} s, "
            f"load_demo {t_demo:.1f} s, seed {time.monotonic() - started:.1f} s")
        return world

    def child(self, env: dict, args: list[str], log: Path, what: str, timeout: float = 600) -> int:
        with open(log, "a") as out:
            done = subprocess.run([shops.PY, *args], cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  timeout=timeout)
        if done.returncode and what:
            raise shops.StepFailed(f"{what} failed: {shops.last_line(log)}")
        return done.returncode

    def swarm(self, env: dict, world: Path, port: int) -> tuple[Path, Path]:
        stats, client = self.tmp / "locust", self.tmp / "client.json"
        cmd = [shops.PY, "-m", "locust", "-f", str(PROJECT / "bench" / "loadtest_users.py"), "--headless",
               "--users", str(self.users), "--spawn-rate", str(max(1, self.users // 2)),
               "--run-time", f"{max(1, round(self.seconds))}s",
               "--host", f"http://127.0.0.1:{port}", "--csv", str(stats), "--only-summary",
               "--exit-code-on-error", "0", "--loglevel", "WARNING"]
        log = self.tmp / "locust.log"
        with open(log, "w") as out:
            proc = subprocess.Popen(cmd, cwd=PROJECT, env={**env, "LOADTEST_WORLD": str(world),
                                                           "LOADTEST_CLIENT": str(client),
                                                           **rails.client_env(self.carrier, self.fake)},
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                code = proc.wait(self.seconds + 60)
            except subprocess.TimeoutExpired:
                shops.stop_group(proc)
                raise shops.StepFailed("locust did not stop within 60 s of its run time") from None
        if code or not Path(f"{stats}_stats.csv").exists():
            raise shops.StepFailed(f"locust failed: {shops.last_line(log)}")
        return stats, client

    def warm(self, port: int, world: Path) -> None:
        """Each gunicorn worker renders its first pages slowly (templates, imports): fetch the main pages
        a few times first, so the seconds of the run measure the shop, not its start."""
        import json

        product = json.loads(world.read_text())["contested"][0]["url"]
        for _ in range(2 * self.server.workers):
            for path in ("/", "/catalogue/", product, "/search/?q=che", "/accounts/login/", "/basket/"):
                shops.fetch(f"http://127.0.0.1:{port}{path}")

    def run(self) -> int:
        found, why = services()
        if found is None:
            say(f"loadtest: cannot run: {why}")
            return 1
        self.url, self.broker = found
        try:
            self.fake = rails.start(self.carrier)
        except ValueError as exc:
            say(f"loadtest: cannot run: {exc}")
            return 1
        env = self.env()
        shoppers = self.users - FIXED_USERS
        workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
        say(f"OCOP Market load test: {self.users} users ({shoppers} shoppers, 2 members, 2 producers, 1 cashier, "
            f"1 office clerk, the carrier, the bank) for {self.seconds:g} s; gunicorn -w {workers}, PostgreSQL, "
            f"Redis, 1 Celery worker × 2, fake {self.carrier.upper()} on {self.fake.root}, all on 127.0.0.1")
        try:
            world = self.prepare(env)
            port = free_port()
            self.server = shops.Server("ocop", PROJECT, env, "shop.wsgi", "/healthz", self.tmp / "gunicorn.log",
                                       port=port, workers=workers)
            self.worker = shops.Worker(PROJECT, env, self.tmp / "worker.log").start()
            self.server.start()
            self.warm(port, world)
            say(f"serving on http://127.0.0.1:{port}; locust running …")
            stats, client = self.swarm(env, world, port)
        except (shops.StepFailed, subprocess.TimeoutExpired) as exc:
            say(f"loadtest: could not run: {exc}")
            return 1
        self.server.stop()  # no request in flight while the data is checked

        rows = read_stats(Path(f"{stats}_stats.csv"))
        say()
        for line in format_table(rows, self.seconds):
            say(line)
        failures = failure_lines(Path(f"{stats}_failures.csv"))
        failed = sum(int(r["Failure Count"]) for r in rows if r["Name"] == "Aggregated")
        say()
        say(f"failed requests: {failed}")
        for line in failures:
            say(line)
        for line in server_errors(self.tmp / "gunicorn.log"):
            say(line)

        say()
        say("checks:")
        check_log = self.tmp / "checks.log"
        rails_flag = ["--full"] if self.seconds >= FULL_SECONDS else []
        code = self.child(env, [str(PROJECT / "bench" / "loadtest_world.py"), "--check", str(world), "--client",
                                str(client), "--drain", str(DRAIN_SECONDS), *rails_flag], check_log, "",
                          timeout=DRAIN_SECONDS + 300)
        text = check_log.read_text(errors="replace").strip()
        if failed:
            text = f"FAIL  no request failed: {failed} failed (listed above)\n{text}"
            code = code or 1
        else:
            text = f"PASS  no request failed\n{text}"
        for line in text.splitlines():
            say(line)
        say()
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        say(f"figures: {os.cpu_count()} cores shared, load generator on the same machine, load average {load}; "
            "see bench/README.md")
        if code:
            self.keep_logs = True
        say("loadtest: every check passed" if code == 0 else "loadtest: a check FAILED")
        return 0 if code == 0 else 1


def _terminated(*_):
    say("loadtest: stopped by SIGTERM")
    sys.exit(143)


def main(argv=None) -> int:
    args = options(argv)
    run = LoadTest(args.seconds, args.users, args.contested_stock)
    atexit.register(run.cleanup)
    signal.signal(signal.SIGTERM, _terminated)  # a CI timeout still stops gunicorn and the worker
    try:
        return run.run()
    except KeyboardInterrupt:
        say("loadtest: interrupted")
        return 130
    except Exception as exc:  # anything unforeseen still ends in one line and a clean machine
        say(f"loadtest: could not run: {exc!r}")
        return 1
    finally:
        run.cleanup()


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"(loadtest took {time.monotonic() - started:.0f} s)")
    sys.exit(code)

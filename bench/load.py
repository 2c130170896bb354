"""Load generation: wrk when it is installed, else a small keep-alive loop in threads.

Only 127.0.0.1/localhost is ever a target, and every run is bounded in time (and, for the
built-in loop, in request count), so a bench can never hammer anything but the servers it started.
"""
from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@dataclass
class LoadResult:
    rps: float | None  # good (2xx/3xx) answers per second; None when nothing could be read
    requests: int = 0  # answers received, good or not
    errors: int = 0  # non-2xx/3xx answers plus socket errors and timeouts
    tool: str = ""


def local_target(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS:
        raise ValueError(f"refusing to load-test {url!r}: only http://127.0.0.1 is allowed")
    path = parts.path or "/"
    return parts.hostname, parts.port or 80, path + (f"?{parts.query}" if parts.query else "")


_RPS = re.compile(r"^\s*Requests/sec:\s*([\d.]+)", re.M)
_TOTAL = re.compile(r"^\s*(\d+) requests in ", re.M)
_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s*(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def parse_wrk(output: str) -> LoadResult:
    """Read wrk's summary. wrk's Requests/sec counts every answer, a 500 as much as a 200, so it
    is scaled down to the good answers: a fast error page must not pass for a fast page."""
    rps = _RPS.search(output)
    total = _TOTAL.search(output)
    requests = int(total.group(1)) if total else 0
    bad = sum(int(n) for n in _NON2XX.findall(output))
    socket = _SOCKET.search(output)
    socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
    good_rps = None
    if rps:
        good_rps = float(rps.group(1))
        if requests:
            good_rps *= max(requests - bad, 0) / requests
    return LoadResult(rps=good_rps, requests=requests, errors=bad + socket_errors, tool="wrk")


def run_wrk(url: str, seconds: float, *, threads: int = 2, connections: int = 8) -> LoadResult:
    local_target(url)
    duration = max(1, round(seconds))  # wrk takes whole seconds
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30)
    return parse_wrk(done.stdout)


def builtin_load(url: str, seconds: float, *, connections: int = 8, max_requests: int = 200_000,
                 headers: dict | None = None, paths=None) -> LoadResult:
    """`connections` threads, each on its own keep-alive connection, until the time or the request
    budget runs out. Python's client costs CPU on the same cores as the server, so these figures
    are lower than wrk's; compare the two shops within one run, not across tools."""
    """headers: sent with every request (e.g. a visitor's Cookie); paths: a callable giving the n-th
    request's path (every request a new search), else always the url's."""
    host, port, path = local_target(url)
    counter = [0]
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    budget = [max_requests]
    ok = [0] * connections
    bad = [0] * connections

    def take() -> str | None:
        with lock:
            if budget[0] <= 0:
                return None
            budget[0] -= 1
            counter[0] += 1
            return paths(counter[0]) if paths is not None else path

    def worker(i: int) -> None:
        conn = None
        while time.monotonic() < deadline and (target := take()) is not None:
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=10)
                conn.request("GET", target, headers={"Connection": "keep-alive", **(headers or {})})
                response = conn.getresponse()
                response.read()
                if response.status < 400:
                    ok[i] += 1
                else:
                    bad[i] += 1
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                bad[i] += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(seconds + 15)  # a request can outlive the deadline by its own timeout
    elapsed = max(time.monotonic() - started, 1e-6)
    return LoadResult(rps=sum(ok) / elapsed, requests=sum(ok) + sum(bad), errors=sum(bad), tool="built-in")


def tool_name() -> str:
    return "wrk" if shutil.which("wrk") else "built-in loop (wrk not found)"


def measure(url: str, seconds: float, *, headers: dict | None = None, paths=None) -> LoadResult:
    """wrk when installed (the same fixed page for every request), else the built-in loop; a varying
    path (`paths`) always runs on the built-in loop, and so do `headers` (wrk's -H would do, but
    one tool per comparison keeps the ratio honest)."""
    if headers or paths:
        return builtin_load(url, seconds, headers=headers, paths=paths)
    if shutil.which("wrk"):
        return run_wrk(url, seconds)
    return builtin_load(url, seconds)

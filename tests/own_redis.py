"""A Redis server of the test's own, which the test may stop and start again (the machine's Redis is
shared and must never be stopped). Needs the `redis-server` binary, as the `redis` marker's tests do."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

# Ports this project's fault tests may take (the first free one is used); each pytest-xdist worker
# has its own four, so two workers never race for one port.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
PORTS = range(6392 + 4 * _WORKER, 6396 + 4 * _WORKER)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port for a test Redis in {PORTS.start}-{PORTS.stop - 1}")


class OwnRedis:
    """`persistent`: an append-only file in `directory`, so a restart brings the data back (as the
    compose file's Redis does); otherwise a restart comes back empty."""

    def __init__(self, directory: Path, *, persistent: bool):
        self.directory, self.persistent = directory, persistent
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--dir", str(self.directory), "--appendonly", "yes" if self.persistent else "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self._answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        """`SHUTDOWN` (which writes the append-only file when persistent), then wait for the exit."""
        if self.process is None or self.process.poll() is not None:
            return
        mode = "save" if self.persistent else "nosave"
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", mode], capture_output=True, timeout=10)
        self.process.wait(10)

    def _answers(self) -> bool:
        result = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, timeout=5)
        return result.stdout.strip() == b"PONG"


def redis_server_available() -> bool:
    return bool(shutil.which("redis-server") and shutil.which("redis-cli"))

"""A threaded HTTP server on 127.0.0.1 for the carrier fakes: records every request (method, path,
query, headers, JSON or form body) and can be told to fail or to answer slowly."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    headers: dict
    body: object  # the decoded JSON, or the form as a dict, or None


@dataclass
class FakeServer:
    name = "fake"
    requests: list[Recorded] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    delay: float = 0.0

    def __post_init__(self):
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       name=f"fake-{self.name}", daemon=True)
        self.stopped = False

    @property
    def root(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        if not self.stopped:
            self.stopped = True
            self.server.shutdown()
            self.server.server_close()

    def fail(self, status: int = 500, times: int = 1):
        with self.lock:
            self.failures.extend([status] * times)

    def calls(self, path_end: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith(path_end)]

    def handle(self, recorded: Recorded):  # -> (status, body: dict | bytes, content type)
        raise NotImplementedError


def _handler(fake: FakeServer):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            body = None
            if raw:
                if "json" in headers.get("content-type", ""):
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        body = raw.decode("utf-8", "replace")
                else:
                    body = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
            recorded = Recorded(self.command, url.path, dict(parse_qsl(url.query, keep_blank_values=True)),
                                headers, body)
            with fake.lock:
                fake.requests.append(recorded)
                failure = fake.failures.pop(0) if fake.failures else None
            if fake.delay:
                time.sleep(fake.delay)
            if failure:
                status, data, kind = failure, b"<html>upstream error</html>", "text/html"
            else:
                with fake.lock:
                    status, data, kind = fake.handle(recorded)
            if isinstance(data, (dict, list)):
                data, kind = json.dumps(data, ensure_ascii=False).encode(), "application/json"
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
                pass

        do_GET = do_POST = _serve

        def log_message(self, format, *args):
            pass

    return Handler

"""The common part of the local fake providers (fake_zalo.py, fake_esms.py): a threaded HTTP server on
127.0.0.1 (a free port) that records every request and can be told to fail or hang the next ones,
as tests/checkout/stripe/fake_stripe.py does for Stripe. No test reaches the internet."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: dict  # JSON or form, decoded


class FakeServer:
    name = "fake"

    def __init__(self):
        self.requests: list[Recorded] = []
        self.failures: list[tuple[int, object]] = []  # (HTTP status, body) for the next requests
        self.hang_seconds = 0.0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       name=self.name, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail(self, status: int, body=None, times: int = 1):
        """The next `times` requests answer `status` with `body` (JSON) and do nothing."""
        self.failures.extend([(status, body)] * times)

    def hang(self, seconds: float):
        """The next request takes its effect, then answers only after `seconds` (a lost answer)."""
        self.hang_seconds = seconds

    def answer(self, request: Recorded) -> tuple[int, dict]:
        raise NotImplementedError

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or "{}")
                else:
                    body = dict(parse_qsl(raw))
                request = Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with fake.lock:
                    fake.requests.append(request)
                    failure = fake.failures.pop(0) if fake.failures else None
                    hang, fake.hang_seconds = fake.hang_seconds, 0.0
                    status, answer = failure if failure else fake.answer(request)
                if hang:
                    time.sleep(hang)
                data = json.dumps(answer if answer is not None else {"error": "fake failure"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

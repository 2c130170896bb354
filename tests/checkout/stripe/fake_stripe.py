"""A local stand-in for the part of Stripe's API the shop calls, so tests never reach the internet.

A threaded HTTP server on 127.0.0.1 (a free port). The real `stripe` library talks to it through
STRIPE_API_BASE. It behaves as Stripe does where the shop depends on it:
- POST /v1/checkout/sessions checks the secret key and the parameters Stripe checks (zero-decimal
  amounts, expires_at between 30 minutes and 24 hours ahead, absolute URLs) and answers a session
  object (cs_test_…, url, amount_total, currency, payment_status "unpaid", expires_at, …);
- the same Idempotency-Key answers the same session again; with other parameters, an
  idempotency_error (400);
- GET /v1/checkout/sessions/<id> retrieves one;
- POST /v1/refunds refunds a completed session's payment_intent (amount in whole đồng, never more
  than is left of the charge: amount_too_large / charge_already_refunded), idempotent by key;
- `fail(status, …)` makes the next requests fail with Stripe's JSON error shape.
Every request is recorded (method, path, headers, decoded form) for the tests to inspect.
"""
from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

MIN_EXPIRY, MAX_EXPIRY = 30 * 60, 24 * 3600
KEY = re.compile(r"[^\[\]]+")


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    form: dict  # flat, as sent: {"line_items[0][price_data][unit_amount]": "150000", …}

    @property
    def params(self) -> dict:
        return nest(self.form)

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


@dataclass
class Failure:
    status: int
    type: str
    message: str


@dataclass
class FakeStripe:
    secret_key: str
    requests: list[Recorded] = field(default_factory=list)
    sessions: dict[str, dict] = field(default_factory=dict)
    idempotent: dict[str, tuple[dict, int, dict]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    refunds: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self):
        self.lock = threading.Lock()
        self.stopped = False
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       name="fake-stripe", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeStripe:
        self.thread.start()
        return self

    def stop(self):
        """Stop listening (a test may do it early to play an unreachable Stripe)."""
        if self.stopped:
            return
        self.stopped = True
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def fail(self, status=500, type="api_error", message="Something went wrong on Stripe's end.", times=1):
        """The next `times` requests fail with this error."""
        with self.lock:
            self.failures.extend([Failure(status, type, message)] * times)

    def refund_creations(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path == "/v1/refunds"]

    def session_creations(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path == "/v1/checkout/sessions"]

    def complete(self, session_id: str, *, payment_status="paid") -> dict:
        """The session as Stripe sends it in checkout.session.completed once the shopper has paid."""
        session = dict(self.sessions[session_id], status="complete", payment_status=payment_status,
                       payment_intent="pi_test_" + secrets.token_hex(12))
        self.sessions[session_id] = session
        return session

    # ------------------------------------------------------------------------ API
    def handle(self, method: str, path: str, headers: dict, form: dict) -> tuple[int, dict, dict]:
        with self.lock:
            self.requests.append(Recorded(method, path, headers, form))
            if headers.get("authorization") != f"Bearer {self.secret_key}":
                return _error(401, "invalid_request_error", "Invalid API Key provided.")
            if self.failures:
                failure = self.failures.pop(0)
                return _error(failure.status, failure.type, failure.message)
            if method == "POST" and path == "/v1/checkout/sessions":
                return self._idempotent(headers.get("idempotency-key"), form, self._create_session)
            if method == "POST" and path == "/v1/refunds":
                return self._idempotent(headers.get("idempotency-key"), form, self._create_refund)
            match = re.fullmatch(r"/v1/checkout/sessions/([\w]+)", path)
            if method == "GET" and match:
                session = self.sessions.get(match[1])
                if session is None:
                    return _error(404, "invalid_request_error", f"No such checkout.session: '{match[1]}'",
                                  code="resource_missing")
                return 200, session, {}
            return _error(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path}).")

    def _idempotent(self, key, form, create):
        if key and key in self.idempotent:
            sent, status, body = self.idempotent[key]
            if sent != form:
                return _error(400, "idempotency_error", "Keys for idempotent requests can only be used with the "
                              "same parameters they were first used with.")
            return status, body, {"Idempotent-Replayed": "true"}
        status, body, headers = create(nest(form))
        if key and status < 500:  # Stripe replays what it answered, errors included, except server errors
            self.idempotent[key] = (form, status, body)
        return status, body, headers

    def _create_session(self, params: dict):
        now = int(time.time())
        for name in ("success_url", "cancel_url"):
            if urlsplit(params.get(name, "")).scheme not in ("http", "https"):
                return _error(400, "invalid_request_error", f"Not a valid URL: {name}", param=name)
        if params.get("mode") != "payment":
            return _error(400, "invalid_request_error", "Invalid mode", param="mode")
        currency = params.get("currency", "")
        items = params.get("line_items") or []
        if not items:
            return _error(400, "invalid_request_error", "line_items is required", param="line_items")
        total = 0
        for index, item in enumerate(items):
            price = item.get("price_data") or {}
            amount, quantity = str(price.get("unit_amount", "")), str(item.get("quantity", ""))
            if not amount.isdigit():  # VND is zero-decimal: "150000", never "150000.00"
                return _error(400, "invalid_request_error", "Invalid integer: " + amount,
                              param=f"line_items[{index}][price_data][unit_amount]")
            if not quantity.isdigit() or int(quantity) < 1:
                return _error(400, "invalid_request_error", "Invalid quantity", param=f"line_items[{index}][quantity]")
            if price.get("currency") != currency:
                return _error(400, "invalid_request_error", "Currencies differ", param=f"line_items[{index}]")
            total += int(amount) * int(quantity)
        expires_at = int(params.get("expires_at", now + MAX_EXPIRY))
        if not now + MIN_EXPIRY <= expires_at <= now + MAX_EXPIRY:
            return _error(400, "invalid_request_error", "The `expires_at` timestamp must be between 30 minutes and "
                          "24 hours from Checkout Session creation.", param="expires_at")
        session_id = "cs_test_" + secrets.token_hex(16)
        session = {
            "id": session_id, "object": "checkout.session", "livemode": False, "mode": "payment",
            "url": f"{self.base_url}/c/pay/{session_id}", "status": "open", "payment_status": "unpaid",
            "amount_subtotal": total, "amount_total": total, "currency": currency, "created": now,
            "expires_at": expires_at, "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"), "metadata": params.get("metadata", {}),
            "success_url": params["success_url"], "cancel_url": params["cancel_url"], "payment_intent": None,
        }
        self.sessions[session_id] = session
        return 200, session, {}


    def _create_refund(self, params: dict):
        intent = params.get("payment_intent", "")
        session = next((s for s in self.sessions.values() if intent and s.get("payment_intent") == intent), None)
        if session is None:
            return _error(404, "invalid_request_error", f"No such payment_intent: '{intent}'",
                          code="resource_missing", param="payment_intent")
        refunded = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent)
        left = session["amount_total"] - refunded
        amount = str(params.get("amount", left))
        if not amount.isdigit() or int(amount) < 1:  # VND is zero-decimal
            return _error(400, "invalid_request_error", "Invalid integer: " + amount, param="amount")
        if left <= 0:
            return _error(400, "invalid_request_error", f"Charge for {intent} has already been refunded.",
                          code="charge_already_refunded")
        if int(amount) > left:
            return _error(400, "invalid_request_error", f"Refund amount ({amount}) is greater than unrefunded amount "
                          f"on charge ({left})", code="amount_too_large", param="amount")
        refund_id = "re_test_" + secrets.token_hex(12)
        refund = {"id": refund_id, "object": "refund", "amount": int(amount), "currency": session["currency"],
                  "payment_intent": intent, "charge": "ch_test_" + intent[-12:], "status": "succeeded",
                  "reason": params.get("reason"), "metadata": params.get("metadata", {}), "created": int(time.time())}
        self.refunds[refund_id] = refund
        return 200, refund, {}


def nest(form: dict) -> dict:
    """Stripe's form encoding (a[b][0][c]=v) back into dicts and lists."""
    root: dict = {}
    for flat, value in form.items():
        keys = KEY.findall(flat)
        node = root
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value

    def lists(node):
        if isinstance(node, dict):
            node = {k: lists(v) for k, v in node.items()}
            if node and all(k.isdigit() for k in node):
                return [node[k] for k in sorted(node, key=int)]
        return node

    return lists(root)


def _error(status, type, message, **extra):
    return status, {"error": {"type": type, "message": message, **extra}}, {}


def _handler(fake: FakeStripe):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else url.query
            form = dict(parse_qsl(raw, keep_blank_values=True))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, body, extra = fake.handle(self.command, url.path, headers, form)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_" + secrets.token_hex(8))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format, *args):  # quiet test output
            pass

    return Handler

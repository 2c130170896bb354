"""`make loadtest`, Vietnam's rails: the fake carrier (GHN or GHTK, the same fakes the tests use:
tests/carriers/fake_ghn.py, fake_ghtk.py) serving the shop during the run, and what the shop is
configured with to call it and to take SePay's bank webhooks (tests/banking/fake_sepay.py builds
those, sent by the Bank user of bench/loadtest_users.py).

The fake runs in bench/loadtest.py's own process (threads), started before gunicorn so the shop's
GHN_BASE_URL can name its port. The Carrier user of the locust run plays the carrier's people: it
asks the fake which parcels exist (GET /_load/parcels, added here: the fakes keep their parcels in
memory), moves one (POST /_load/move {"code", "to"}) and then posts the carrier's webhook to the
shop, which asks the fake's API for the status, as with the real carrier.

    LOADTEST_CARRIER=ghn (default) | ghtk      which carrier the shop uses (CARRIER_DEFAULT)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from tests.banking import fake_sepay  # noqa: E402
from tests.carriers import fake_ghn, fake_ghtk  # noqa: E402
from tests.carriers.fake_http import Recorded  # noqa: E402

GHN_WEBHOOK_SECRET = "load-ghn-hook-6a1f"
GHTK_WEBHOOK_SECRET = "load-ghtk-hook-2b7c"
# Each carrier's words for the steps the Carrier user plays (its API's status codes).
STEPS = {
    "ghn": {"ready": "ready_to_pick", "picked": "picked", "delivered": "delivered", "returned": "returned"},
    "ghtk": {"ready": "2", "picked": "3", "delivered": "5", "returned": "21"},
}


def _control(fake, r: Recorded):
    """The load run's own two paths on the fake (no carrier has them); None for every other path."""
    if r.path == "/_load/parcels":
        key = "order_code" if isinstance(fake, fake_ghn.FakeGHN) else "label"
        client = "client_order_code" if isinstance(fake, fake_ghn.FakeGHN) else "id"
        return 200, {"parcels": [{"code": o[key], "status": o["status"], "client_code": o.get(client, "")}
                                 for o in fake.orders.values()]}, ""
    if r.path == "/_load/move":
        body = r.body if isinstance(r.body, dict) else {}
        order = fake.orders.get(body.get("code"))
        if order is None:
            return 404, {"moved": False}, ""
        order["status"] = str(body.get("to"))
        return 200, {"moved": True}, ""
    return None


class LoadGHN(fake_ghn.FakeGHN):
    def handle(self, r):
        return _control(self, r) or super().handle(r)


class LoadGHTK(fake_ghtk.FakeGHTK):
    def handle(self, r):
        return _control(self, r) or super().handle(r)


def start(code: str):
    """The running fake carrier for `code` ("ghn" or "ghtk")."""
    if code not in STEPS:
        raise ValueError(f"LOADTEST_CARRIER must be ghn or ghtk, not {code!r}")
    return (LoadGHN() if code == "ghn" else LoadGHTK()).start()


def shop_env(code: str, fake) -> dict[str, str]:
    """The shop's settings for this carrier on the fake, and for SePay's webhook (API key)."""
    env = {"CARRIER_DEFAULT": code, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
           "SEPAY_WEBHOOK_AUTH": "apikey", "SEPAY_API_KEY": fake_sepay.API_KEY,
           "VIETQR_ACCOUNT_NUMBER": fake_sepay.ACCOUNT}
    if code == "ghn":
        env.update(GHN_TOKEN=fake_ghn.TOKEN, GHN_SHOP_ID=fake_ghn.SHOP_ID, GHN_BASE_URL=fake.base_url,
                   GHN_WEBHOOK_SECRET=GHN_WEBHOOK_SECRET)
    else:
        env.update(GHTK_TOKEN=fake_ghtk.TOKEN, GHTK_PARTNER_CODE=fake_ghtk.PARTNER_CODE, GHTK_BASE_URL=fake.base_url,
                   GHTK_WEBHOOK_SECRET=GHTK_WEBHOOK_SECRET)
    return env


def client_env(code: str, fake) -> dict[str, str]:
    """What the locust users need to play the carrier and the bank."""
    return {"LOADTEST_CARRIER": code, "LOADTEST_CARRIER_URL": fake.root}


def webhook(code: str, fake_order_code: str) -> tuple[str, dict]:
    """(path on the shop, keyword arguments for the HTTP client) of the carrier's status callback."""
    if code == "ghn":
        body = {"OrderCode": fake_order_code, "ShopID": int(fake_ghn.SHOP_ID), "Type": "switch_status",
                "Time": "2026-12-06T03:52:50.158Z"}
        return f"/carriers/webhook/ghn/{GHN_WEBHOOK_SECRET}/", {"json": body}
    return f"/carriers/webhook/ghtk/?hash={GHTK_WEBHOOK_SECRET}", {"data": {"label_id": fake_order_code,
                                                                           "action_time": "2026-12-06T12:18:39+07:00"}}


def carrier_from_env() -> str:
    return os.environ.get("LOADTEST_CARRIER", "ghn").strip().lower() or "ghn"


__all__ = ["STEPS", "client_env", "fake_sepay", "shop_env", "start", "webhook"]

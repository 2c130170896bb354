"""A cache hit's server time, queries and cache round trips, in-process, for three shoppers on the
same pages: an anonymous visitor without cookies, a basket holder (anonymous, one product in the
basket) and a customer (signed in, one product in the basket). Issue 21.

In-process (Django's test client: every middleware and the view, no socket, no gunicorn), so
the figures do not depend on a load tool sharing the cores; the machine is still shared, so the
1-minute load average is printed. It writes a basket and a customer into the database it is given:
use a copy of the 100k database, never the shared one.

    createdb -h 127.0.0.1 -U postgres -T ocop_speed_100k ocop_speed_100k_mine
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_speed_100k_mine REDIS_URL=redis://127.0.0.1:6379/15 \\
        .venv/bin/python bench/hits.py [--hits 300] [--profile basket:listing]

--profile WHO:PAGE prints cProfile's top functions (cumulative) over the hits of one shopper on one page.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.shops import in_process_settings  # noqa: E402  (after the path is set, as a script)

in_process_settings()
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hits", type=int, default=300)
    parser.add_argument("--profile", default="", help="WHO:PAGE, e.g. basket:listing")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from oscar.core.loading import get_model

    round_trips = _count_round_trips()
    product = (get_model("catalogue", "Product").objects.filter(is_public=True, stockrecords__num_in_stock__gt=10)
               .order_by("id").first())
    pages = {"listing": "/catalogue/", "filtered": "/catalogue/?stars=3&sort=price_asc",
             "product": product.get_absolute_url()}

    def with_basket(client):
        html = client.get(pages["product"]).content.decode()
        form = re.search(r'action="(/basket/add/\d+/)"', html).group(1)
        assert client.post(form, {"quantity": 1}).status_code == 302
        client.get("/basket/")  # the "added" message, read once
        return client

    def customer():
        client = Client()
        email, password = f"bench-hits-{time.time_ns()}@example.vn", "Bench-hits-2026-shopper"
        token = TOKEN.search(client.get("/accounts/login/").content.decode()).group(1)
        response = client.post("/accounts/login/", {
            "csrfmiddlewaretoken": token, "registration-email": email, "registration-password1": password,
            "registration-password2": password, "registration_submit": "Register"})
        assert response.status_code == 302, response.status_code
        return with_basket(client)

    shoppers = {"anonymous": None, "basket": with_basket(Client()), "customer": customer()}
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"{product.__class__.objects.count()} products, cache: {backend}, {args.hits} hits per shopper and page, "
          "taken in turns (one request of each shopper after another, so all three meet the same load); "
          "median server time (test client, in-process)")
    print(f"{'page':9}| {'shopper':9}| {'ms':>6} | queries | cache round trips | anonymous's time / this")
    for page, path in pages.items():
        def get(who, path=path):
            client = shoppers[who] or Client()
            response = client.get(path)
            assert response.status_code == 200, (who, path, response.status_code)

        took = {who: [] for who in shoppers}
        for who in shoppers:
            for _ in range(3):
                get(who)  # drawn and kept
        for _ in range(args.hits):
            for who in shoppers:
                started = time.perf_counter()
                get(who)
                took[who].append((time.perf_counter() - started) * 1000)
        anonymous_ms = statistics.median(took["anonymous"])
        for who in shoppers:
            round_trips[0] = 0
            with CaptureQueriesContext(connection) as queries:
                get(who)
            ms = statistics.median(took[who])
            print(f"{page:9}| {who:9}| {ms:6.2f} | {len(queries):7} | {round_trips[0]:17} | {anonymous_ms / ms:.2f}")
            if args.profile == f"{who}:{page}":
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(args.hits):
                    get(who)
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    print(f"load average {os.getloadavg()[0]:.1f}")


def _count_round_trips() -> list[int]:
    """Count the calls that reach Redis (core.redis_cache's guarded client: one per round trip)."""
    from core.redis_cache import _GuardedClient

    counter = [0]
    wrapped = _GuardedClient.__getattr__
    sent = {"get", "get_many", "set", "set_many", "add", "incr", "delete", "has_key", "touch"}

    def counting(self, name):
        method = wrapped(self, name)
        if name not in sent:
            return method

        def call(*args, **kwargs):
            counter[0] += 1
            return method(*args, **kwargs)
        return call

    _GuardedClient.__getattr__ = counting
    return counter


if __name__ == "__main__":
    main()

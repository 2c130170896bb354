"""Shoppers with a session cookie against the anonymous cached rate, and new searches' latency
(issue 21: "fast for every shopper, not only the first anonymous visit").

Run by bench/run.py against our gunicorn once the page table is done:

- a *basket holder*: an anonymous visitor who put one product in the basket (basket, history and
  CSRF cookies, sent with every request) gets the listing, a filtered and sorted listing, the
  product page and searches no one made before (every request new words, with and without
  filters), each beside what an anonymous visitor without cookies gets on the same page, same
  tool (the built-in loop: 8 connections), same run; the goal is a ratio of at least ¼;
- a *customer*: a shopper who registered an account (a new one each run, through the shop's own
  form) and put one product in the basket, on the same three pages (not the searches);
- *new searches' latency*: one connection, one search after another, each with words (and
  filters) no one asked before, so neither the page cache nor the facet cache has them: p50 and
  p99 wall time on 127.0.0.1 (server time plus a loopback round trip; nothing else queues).

Every figure is printed with the 1-minute load average when it was taken: the machine is shared.
"""
from __future__ import annotations

import http.client
import itertools
import os
import random
import re
import statistics
import time
import urllib.parse

from bench import load

# Words of the catalogue (folded, as shoppers type them): pairs of them make new searches, many
# matching thousands of products at 100,000 (the expensive case), some none.
WORDS = ("tra", "ca", "phe", "mat", "ong", "mang", "gao", "nuoc", "ep", "tinh", "dau", "moc", "chau", "son", "la",
         "hop", "tui", "chai", "lo", "shan", "tuyet", "arabica", "rang", "xay", "thao", "qua", "man", "chanh",
         "leo", "quynh", "nhai", "phu", "yen", "hoa", "vang", "ruou", "thit", "trau", "gac", "bep")
TARGET_RATIO = 0.25
ONLY_SEARCHES = False  # bench/shoppers_only.py --searches-only: the two new-search rows alone
SEARCH_P99_TARGET_MS = 100
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def load_average() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def new_searches(seed: int, *, filtered: bool):
    """The n-th path of a run: a pair of words in an order no earlier request used."""
    pairs = list(itertools.permutations(WORDS, 2))
    random.Random(seed).shuffle(pairs)

    def path(n: int) -> str:
        first, second = pairs[n % len(pairs)]
        query = {"q": f"{first} {second}"}
        if filtered:
            query.update(stars=3, sort="price_asc", price_max=100000 + 1000 * (n // len(pairs) + n % 97))
        return "/search/?" + urllib.parse.urlencode(query)

    return path


class Visitor:
    """Cookies of an anonymous shopper with one product in the basket; signed_in: of a customer
    who registered (a new account, through the shop's own form) and then put one in."""

    def __init__(self, base: str, product_path: str, *, signed_in: bool = False):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        if signed_in:
            self.register(base)
        status, html = self.request("GET", product_path)
        match = TOKEN.search(html)
        if status != 200 or not match:
            raise RuntimeError(f"no add-to-basket form on {product_path} (HTTP {status})")
        form = re.search(r'action="(/basket/add/\d+/)"', html)
        if not form:
            raise RuntimeError(f"no add-to-basket form on {product_path}")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), "quantity": 1})
        status, _ = self.request("POST", form.group(1), body, referer=base + product_path)
        if status not in (200, 302):
            raise RuntimeError(f"add to basket answered HTTP {status}")
        self.request("GET", "/basket/")  # the "added" message is read once, as a shopper would

    def register(self, base: str) -> None:
        status, html = self.request("GET", "/accounts/login/")
        match = TOKEN.search(html)
        if status != 200 or not match:
            raise RuntimeError(f"no registration form on /accounts/login/ (HTTP {status})")
        email = f"bench-{time.time_ns()}@example.vn"
        password = f"Bench-{random.randrange(10**12)}-shopper"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), "registration-email": email,
                                       "registration-password1": password, "registration-password2": password,
                                       "registration_submit": "Register"})
        status, _ = self.request("POST", "/accounts/login/", body, referer=base + "/accounts/login/")
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"registration answered HTTP {status}")

    def header(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def request(self, method, path, body=None, referer=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = self.header()
        if body is not None:
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Referer": referer or ""})
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        html = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value and "max-age=0" not in value.lower():
                    self.cookies[key.strip()] = cookie_value
                else:
                    self.cookies.pop(key.strip(), None)
        conn.close()
        return response.status, html


def latencies(base: str, paths, count: int, headers: dict | None = None) -> list[float]:
    """Milliseconds of `count` requests, one after another on one keep-alive connection."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    took = []
    for n in range(count):
        started = time.perf_counter()
        conn.request("GET", paths(n), headers={"Connection": "keep-alive", **(headers or {})})
        response = conn.getresponse()
        response.read()
        took.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{paths(n)} answered HTTP {response.status}")
    conn.close()
    return took


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(base: str, product_path: str | None, seconds: float, say) -> str | None:
    """Print the shopper table and the search latencies; a problem line, or None."""
    if not product_path:
        return "shoppers: no product page to start a basket from"
    try:
        visitor = Visitor(base, product_path)
        customer = Visitor(base, product_path, signed_in=True)
    except (RuntimeError, OSError) as exc:
        return f"shoppers: could not make a basket holder and a customer: {exc}"
    cookie = visitor.header()
    pages = [
        ("listing /catalogue/", lambda n: "/catalogue/"),
        ("filtered + sorted listing", lambda n: "/catalogue/?stars=3&sort=price_asc"),
        ("product page", lambda n: product_path),
        ("new search, no filters", new_searches(1, filtered=False)),
        ("new search, with filters", new_searches(2, filtered=True)),
    ]
    if ONLY_SEARCHES:
        pages = [(label, paths) for label, paths in pages if label.startswith("new search")]
    say("shoppers with cookies against an anonymous visitor served from the cache, same tool (built-in loop, "
        "8 connections), same run: a basket holder (anonymous, one product in the basket) and a customer (signed "
        "in, one product in the basket); new searches: every basket request new words")
    say(f"{'page':27}| anonymous rps | basket rps | ratio (goal ≥ 0.25) | customer rps | ratio  | load avg")
    say(f"{'-' * 27}+{'-' * 15}+{'-' * 12}+{'-' * 21}+{'-' * 14}+{'-' * 8}+{'-' * 9}")
    failed = []
    for label, paths in pages:
        new = label.startswith("new search")
        # The anonymous figure is always the page from the cache (for new searches: one search
        # asked before); all start from the stored page, as in a shop open for a while.
        load.builtin_load(base + paths(0), 0.5, connections=2)
        anonymous = load.builtin_load(base + paths(0), seconds)
        average = load_average()
        basket = load.builtin_load(base + paths(0), seconds, headers=cookie,
                                   paths=(lambda n, p=paths: p(n + 1)) if new else None)
        anon_rps, basket_rps = anonymous.rps or 0.0, basket.rps or 0.0
        ratio = basket_rps / anon_rps if anon_rps else 0.0
        errors = anonymous.errors + basket.errors
        signed_in = "           — |      —"
        if not new:
            load.builtin_load(base + paths(0), 0.5, connections=2, headers=customer.header())
            customer_load = load.builtin_load(base + paths(0), seconds, headers=customer.header())
            customer_ratio = (customer_load.rps or 0.0) / anon_rps if anon_rps else 0.0
            errors += customer_load.errors
            signed_in = f"{customer_load.rps or 0.0:12.1f} | {customer_ratio:5.2f}×"
            if customer_ratio < TARGET_RATIO:
                failed.append(f"{label} (customer)")
        note = "" if ratio >= TARGET_RATIO else "  below goal"
        if errors:
            note += f"  ({errors} failed requests)"
        if ratio < TARGET_RATIO:
            failed.append(label)
        say(f"{label:27}| {anon_rps:13.1f} | {basket_rps:10.1f} | {ratio:18.2f}× | {signed_in} | "
            f"{average}/{load_average()}{note}")
    say()
    for label, filtered in (("new searches, no filters", False), ("new searches, with filters", True)):
        took = latencies(base, new_searches(3 + filtered, filtered=filtered), 200, headers=cookie)
        p99 = percentile(took, 99)
        verdict = "met" if p99 < SEARCH_P99_TARGET_MS else "NOT met"
        say(f"{label}: p50 {statistics.median(took):.0f} ms, p99 {p99:.0f} ms over {len(took)} "
            f"(one connection, goal p99 < {SEARCH_P99_TARGET_MS} ms: {verdict}), load average {load_average()}")
    if failed:
        say(f"shoppers: below the ¼ goal: {', '.join(failed)}")
    return None

"""`make loadtest`, the people: a locustfile of shoppers, producers and one cashier, speaking to the
shop exactly as their browsers do (HTML forms with the CSRF token, the counter's JSON endpoints).

bench/loadtest.py runs it headless against its own gunicorn on 127.0.0.1; on its own:

    LOADTEST_WORLD=world.json LOADTEST_CLIENT=client.json \
        locust -f bench/loadtest_users.py --headless -u 20 -r 20 -t 60s --host http://127.0.0.1:8640

world.json comes from `bench/loadtest_world.py --seed`. Each request is named for the action it is
part of (the report's rows). Answers a real user gets on a busy day and that are not faults — the
last unit gone ("sold out"), a price changed by the producer between preview and "Place order" —
are counted as outcomes, not failures. Anything else unexpected (a 5xx, a form that did not go
through, a missing field) is a failure with the reason.

At the end it writes client.json: what the users saw (orders placed, counter sales) and, per
dedicated stock record, the last stock level a producer set and was answered for; the checks
compare the database with it.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
from html import unescape

from locust import HttpUser, between, events, task
from locust.exception import RescheduleTask

WORLD = json.loads(open(os.environ["LOADTEST_WORLD"]).read()) if os.environ.get("LOADTEST_WORLD") else {}
TALLY = {"orders_placed": 0, "sales": 0, "returns": 0, "edits": 0, "ships": 0, "stock_edits": {}}
_guests = itertools.count(1)
_producers = itertools.count(0)

INPUT = re.compile(r"<input\b[^>]*>", re.S)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
# The end of the checkout's message when units ran out between preview and order (shop/partner/stock.py),
# in Vietnamese: the shoppers browse in the shop's default language.
STOCK_REFUSED = "giỏ hàng của bạn vẫn được giữ nguyên"
ORDER_LINK = re.compile(r'href="/dashboard/producer/orders/([\w-]+)/"')
METHOD_CODE = re.compile(r'name="method_code"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="method_code"')


def inputs(html: str) -> dict[str, str]:
    """name → value of every <input> of a page (hidden and text fields a browser would post)."""
    found = {}
    for tag in INPUT.findall(html):
        attrs = dict(ATTR.findall(tag))
        if "name" in attrs and attrs.get("type") not in ("checkbox", "radio", "submit"):
            found[unescape(attrs["name"])] = unescape(attrs.get("value", ""))
    return found


def outcome(user, name: str) -> None:
    """Count an expected answer of a busy day (not a failure) as its own row of the report."""
    user.environment.events.request.fire(request_type="OUTCOME", name=name, response_time=0, response_length=0,
                                         exception=None, context={})


class FormUser(HttpUser):
    abstract = True

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def post_form(self, path: str, data: dict, name: str, expect=(302,)):
        """POST a form as the browser does (token in the form, no redirect followed); a failure unless the
        status is one of `expect`. Returns the response (None when it failed)."""
        with self.client.post(path, data={**data, "csrfmiddlewaretoken": self.csrf()}, name=name,
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code not in expect:
                response.failure(f"{name}: HTTP {response.status_code}")
                return None
            response.success()
            return response

    def get_page(self, path: str, name: str, expect=(200,)):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code not in expect:
                response.failure(f"{name}: HTTP {response.status_code}")
                return None
            response.success()
            return response

    def sign_in(self, email: str, password: str, name: str) -> bool:
        self.get_page("/accounts/login/", f"{name}: sign-in page")
        done = self.post_form("/accounts/login/", {"login-username": email, "login-password": password,
                                                   "login_submit": "1"}, f"{name}: sign in")
        if done is None or "/accounts/login/" in done.headers.get("Location", ""):
            raise RescheduleTask()
        return True


class Shopper(FormUser):
    """Browses, filters, searches, and buys with cash on delivery through the real checkout pages,
    as a guest; half of the purchases take a contested product (little stock, everyone wants it)."""

    weight = 10
    wait_time = between(0.2, 1.0)

    @task(2)
    def browse(self):
        self.get_page("/", "home")
        self.get_page(random.choice(["/catalogue/?in_stock=1&sort=price_asc", "/catalogue/?stars=4",
                                     "/catalogue/?producer=load-htx-1&sort=newest", "/catalogue/?page=2"]),
                      "listing with filters")
        self.get_page(random.choice(WORLD["contested"] + WORLD["ample"])["url"], "product page")
        self.get_page(random.choice(["/search/?q=che+shan+tuyet", "/search/?q=ca+phe", "/search/?q=mat+ong"]),
                      "search")

    @task(3)
    def buy(self):
        self.client.cookies.clear()  # a new visitor: own session, own basket
        wanted = [random.choice(WORLD["contested"] if random.random() < 0.5 else WORLD["ample"])]
        if random.random() < 0.3:
            wanted.append(random.choice(WORLD["ample"]))
        for product in wanted:
            if self.get_page(product["url"], "product page") is None:
                return
            if self.post_form(f"/basket/add/{product['id']}/", {"quantity": 1}, "add to basket") is None:
                return
        self.checkout()

    def checkout(self):
        basket = self.get_page("/basket/", "basket")
        if basket is None:
            return
        if "/checkout/" not in basket.text or 'name="form-0-quantity"' not in basket.text:
            outcome(self, "sold out (basket refused the last unit)")
            return
        n = next(_guests)
        gateway = self.post_form("/checkout/", {"username": f"khach{n}@load.example", "options": "anonymous"},
                                 "checkout: guest")
        if gateway is None:
            return
        if "/basket/" in gateway.headers.get("Location", ""):
            outcome(self, "sold out (checkout sent back to the basket)")
            return
        self.get_page("/checkout/shipping-address/", "checkout: address page")
        address = {"full_name": "Nguyễn Thu Hà", "phone_number": "0912345678", "line1": f"{n} Tô Hiệu", "notes": "",
                   **WORLD["address"]}
        if self.post_form("/checkout/shipping-address/", address, "checkout: address") is None:
            return
        methods = self.get_page("/checkout/shipping-method/", "checkout: shipping page", expect=(200, 302))
        if methods is None:
            return
        if methods.status_code == 200:
            codes = [a or b for a, b in METHOD_CODE.findall(methods.text)]
            code = "standard" if "standard" in codes else (codes[0] if codes else "")
            if self.post_form("/checkout/shipping-method/", {"method_code": code}, "checkout: shipping") is None:
                return
        # Oscar's checkout sends the shopper back to the basket when a line sold out meanwhile.
        payment = self.get_page("/checkout/payment-method/", "checkout: payment page", expect=(200, 302))
        if payment is None:
            return
        if payment.status_code == 302:
            if "/basket/" not in payment.headers.get("Location", ""):
                with self.client.request("GET", "/checkout/payment-method/", name="checkout: payment page",
                                         catch_response=True, allow_redirects=False) as again:
                    again.failure(f"payment page sent to {payment.headers.get('Location')}")
                return
            outcome(self, "sold out (payment page sent back to the basket)")
            return
        if self.post_form("/checkout/payment-method/", {"method": "cod"}, "checkout: payment COD") is None:
            return
        self.place_order()

    def place_order(self, attempt: int = 1):
        preview = self.get_page("/checkout/preview/", "checkout: preview", expect=(200, 302))
        if preview is None:
            return
        if preview.status_code == 302:
            outcome(self, "sold out (preview sent back to the basket)")
            return
        fingerprint = inputs(preview.text).get("basket_fingerprint")
        if not fingerprint:
            with self.client.request("GET", "/checkout/preview/", name="checkout: preview", catch_response=True) as r:
                r.failure("preview has no basket fingerprint")
            return
        placed = self.post_form("/checkout/preview/", {"action": "place_order", "basket_fingerprint": fingerprint},
                                "checkout: place order", expect=(200, 302))
        if placed is None:
            return
        where = placed.headers.get("Location", "")
        if placed.status_code == 200 and STOCK_REFUSED in placed.text:  # others took the last units meanwhile
            outcome(self, "sold out (refused at place order)")
            return
        # The basket changed since the preview (a producer's new price): the preview again, rendered or redirected to.
        if placed.status_code == 200 or "/checkout/preview/" in where:
            outcome(self, "price changed: shown the preview again")
            if attempt < 3:
                self.place_order(attempt + 1)
            return
        if "/checkout/thank-you/" in where:
            TALLY["orders_placed"] += 1
            self.get_page(where, "checkout: thank-you page")
        elif "/basket/" in where:
            outcome(self, "sold out (refused at place order)")
        else:
            with self.client.request("GET", where or "/", name="checkout: place order", catch_response=True) as r:
                r.failure(f"place order went to {where!r}")


class Producer(FormUser):
    """A producer in the portal's quick-edit list: changes the price and the low-stock threshold of a
    contested product (shoppers are buying it at that moment) and the stock of their dedicated
    product (nobody buys it, so its final stock is the last value they set); and ships their lines
    of a recent order (the hand-over takes the units out of stock while shoppers hold the same rows)."""

    fixed_count = 2
    wait_time = between(1.0, 3.0)

    def on_start(self):
        self.me = WORLD["producers"][next(_producers) % len(WORLD["producers"])]
        self.dedicated = str(WORLD["dedicated"][self.me["code"]])
        self.sign_in(self.me["email"], self.me["password"], "producer")

    @task
    def ship_an_order(self):
        listing = self.get_page("/dashboard/producer/orders/", "producer: orders")
        if listing is None:
            return
        numbers = ORDER_LINK.findall(listing.text)
        if not numbers:
            return
        number = random.choice(numbers[:10])
        url = f"/dashboard/producer/orders/{number}/"
        page = self.get_page(url, "producer: order page")
        if page is None or 'value="ship"' not in page.text:
            return  # shipped already, or not theirs to ship any more
        if self.post_form(url, {"action": "ship", "carrier": "Viettel Post", "tracking_number": f"VTP{number}"},
                          "producer: mark shipped") is not None:
            TALLY["ships"] += 1

    @task
    def edit_stock_and_prices(self):
        page = self.get_page("/dashboard/producer/stock/", "producer: stock list")
        if page is None:
            return
        data = inputs(page.text)
        rows = {data[k]: k[: -len("-id")] for k in data if k.endswith("-id") and k.startswith("form-")}
        if self.dedicated not in rows:
            with self.client.request("GET", "/dashboard/producer/stock/", name="producer: stock list",
                                     catch_response=True) as r:
                r.failure("the dedicated product is not in the producer's list")
            return
        level = random.randint(50, 500)
        data[f"{rows[self.dedicated]}-num_in_stock"] = str(level)
        others = [prefix for pk, prefix in rows.items() if pk != self.dedicated]
        for prefix in random.sample(others, k=min(2, len(others))):
            price = int(re.sub(r"\D", "", data.get(f"{prefix}-price", "0")) or 0)
            data[f"{prefix}-price"] = str(price + random.choice((-1000, 1000)))
            data[f"{prefix}-low_stock_threshold"] = str(random.randint(2, 6))
        edit = TALLY["stock_edits"].setdefault(self.dedicated, {"last": None, "unsure": []})
        try:
            saved = self.post_form("/dashboard/producer/stock/", data, "producer: save stock and prices")
        except BaseException:  # also the run's end stopping this user mid-post: the row may or may not be saved
            edit["unsure"].append(level)
            raise
        if saved is not None and "/dashboard/producer/stock/" in saved.headers.get("Location", ""):
            edit["last"] = level
            TALLY["edits"] += 1
        else:
            edit["unsure"].append(level)  # a refused or failed post may still tell nothing about the row


class Cashier(FormUser):
    """The showroom's cashier: opens a shift, scans two products, takes cash; every fifth sale a
    customer brings one unit back."""

    fixed_count = 1
    wait_time = between(0.2, 0.6)

    def on_start(self):
        self.sign_in(WORLD["cashier"]["email"], WORLD["cashier"]["password"], "pos")
        counter = self.get_page("/pos/", "pos: counter")
        if counter is not None and 'name="opening_float"' in counter.text:
            self.post_form("/pos/shift/open/", {"opening_float": "500000"}, "pos: open shift")
        self.sold = 0

    def api(self, path: str, body: dict, name: str) -> dict | None:
        with self.client.post(path, json=body, name=name, catch_response=True,
                              headers={"X-CSRFToken": self.csrf(), "Accept": "application/json"}) as response:
            if response.status_code != 200:
                response.failure(f"{name}: HTTP {response.status_code} {response.text[:120]}")
                return None
            response.success()
            return response.json()

    @task
    def sell(self):
        cart = None
        for code in random.sample(WORLD["shelf"], k=len(WORLD["shelf"])):
            answer = self.api("/pos/api/scan/", {"code": code, "quantity": random.randint(1, 2)}, "pos: scan")
            if answer is None:
                return
            cart = answer["cart"]
        done = self.api("/pos/api/complete/", {"basket": cart["basket"], "version": cart["version"],
                                               "cash_tendered": cart["total"]}, "pos: complete sale (cash)")
        if done is None:
            return
        TALLY["sales"] += 1
        self.sold += 1
        if self.sold % 5 == 0:
            self.give_back(done["sale"]["number"])

    def give_back(self, number: str):
        page = self.get_page(f"/pos/sales/{number}/return/", "pos: return page")
        if page is None:
            return
        line = next((k for k in inputs(page.text) if re.fullmatch(r"q\d+", k)), None)
        if line and self.post_form(f"/pos/sales/{number}/return/", {line: "1", "reason": "Khách đổi ý"},
                                   "pos: return one unit") is not None:
            TALLY["returns"] += 1


@events.quitting.add_listener
def write_tally(environment, **_kwargs):
    if os.environ.get("LOADTEST_CLIENT"):
        with open(os.environ["LOADTEST_CLIENT"], "w") as out:
            json.dump(TALLY, out)

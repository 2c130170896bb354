"""`make loadtest`, the people: a locustfile of shoppers, producers and one cashier, speaking to the
shop exactly as their browsers do (HTML forms with the CSRF token, the counter's JSON endpoints);
and the services around it: the carrier's people (the fake GHN/GHTK of bench/loadtest_rails.py,
its status webhooks), the bank (SePay's webhook) and an office clerk answering returns.

What happens after "Place order" happens here too: shoppers pay cash on delivery, by VietQR
transfer (the Bank user sends the transfer; now and then a duplicate or one naming no order) or
collect at the showroom (the cashier receives the producer's goods and hands them over); producers
create waybills, the carrier picks the parcels up and delivers them (COD collected) or brings them
back (refused: the producer receives them back); members ask to return a delivered unit, the office
accepts and receives it back.

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
import sys
from collections import defaultdict, deque
from html import unescape
from pathlib import Path

import requests
from locust import HttpUser, between, events, task
from locust.exception import RescheduleTask

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import loadtest_rails as rails  # noqa: E402

WORLD = json.loads(open(os.environ["LOADTEST_WORLD"]).read()) if os.environ.get("LOADTEST_WORLD") else {}
TALLY = {"orders_placed": 0, "sales": 0, "returns": 0, "edits": 0, "ships": 0, "stock_edits": {},
         "vietqr_orders": 0, "pickup_orders": 0, "member_orders": 0, "waybills": 0, "webhooks": 0,
         "webhook_replays": 0, "parcels_delivered": 0, "parcels_returned": 0, "received_back": 0,
         "transfers_matched": 0, "transfers_unmatched": 0, "transfer_replays": 0, "pickups_received": 0,
         "pickups_collected": 0, "returns_asked": 0, "returns_accepted": 0, "returns_received": 0}
_guests = itertools.count(1)
_producers = itertools.count(0)
_members = itertools.count(0)
# What one user hands to another (all users run in this one process): orders for each producer to
# ship, VietQR orders for the bank to pay, pick-ups for the counter, parcels back for their producer,
# members' delivered orders.
TO_SHIP: dict[str, deque] = defaultdict(deque)
TO_PAY: deque = deque()
PICKUPS: deque = deque()
BACK: dict[str, deque] = defaultdict(deque)
DELIVERED: set = set()
PRODUCER_OF = {str(p["id"]): p["code"] for p in WORLD.get("producers", [])}

INPUT = re.compile(r"<input\b[^>]*>", re.S)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
# The end of the checkout's message when units ran out between preview and order (shop/partner/stock.py),
# in Vietnamese: the shoppers browse in the shop's default language.
STOCK_REFUSED = "giỏ hàng của bạn vẫn được giữ nguyên"
ORDER_LINK = re.compile(r'href="/dashboard/producer/orders/([\w-]+)/"')
ORDER_NUMBER = re.compile(r"<strong>(\d{6,})</strong>")
TRANSFER = re.compile(r'data-amount="(\d+)".*?data-transfer-note="([^"]+)"', re.S)
RETURN_FORM = re.compile(r'action="(/accounts/orders/[\w-]+/\d+/return/)"')
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

    def checkout_page(self, path: str, name: str, what: str):
        """GET a checkout page. Oscar's checkout sends the shopper back to the basket when a line sold
        out since it was added: a busy day's outcome, not a failure; any other redirect is one."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code == 200:
                response.success()
                return response
            where = response.headers.get("Location", "")
            if response.status_code == 302 and "/basket/" in where:
                response.success()
                outcome(self, f"sold out ({what} sent back to the basket)")
            else:
                response.failure(f"{what} answered HTTP {response.status_code}" + (f", sent to {where}" if where else ""))
            return None

    def sign_in(self, email: str, password: str, name: str) -> bool:
        self.get_page("/accounts/login/", f"{name}: sign-in page")
        done = self.post_form("/accounts/login/", {"login-username": email, "login-password": password,
                                                   "login_submit": "1"}, f"{name}: sign in")
        if done is None or "/accounts/login/" in done.headers.get("Location", ""):
            raise RescheduleTask()
        return True


class Buyer(FormUser):
    """Buying through the real checkout pages (as a guest, or signed in)."""

    abstract = True
    guest = True

    def shop(self, method: str):
        if self.guest:
            self.client.cookies.clear()  # a new visitor: own session, own basket
        wanted = [random.choice(WORLD["contested"] if random.random() < 0.5 else WORLD["ample"])]
        if random.random() < 0.3:
            wanted.append(random.choice(WORLD["ample"]))
        for product in wanted:
            if self.get_page(product["url"], "product page") is None:
                return None
            if self.post_form(f"/basket/add/{product['id']}/", {"quantity": 1}, "add to basket") is None:
                return None
        thanks = self.checkout(method)
        if thanks is None:
            return None
        found = ORDER_NUMBER.search(thanks.text)
        if not found:
            with self.client.request("GET", "/checkout/thank-you/", name="checkout: thank-you page",
                                     catch_response=True) as r:
                r.failure("the thank-you page names no order number")
            return None
        number = found.group(1)
        producers = sorted({p["producer"] for p in wanted})
        if method == "vietqr":
            transfer = TRANSFER.search(thanks.text)
            if not transfer:
                with self.client.request("GET", "/checkout/thank-you/", name="checkout: thank-you page",
                                         catch_response=True) as r:
                    r.failure("the thank-you page of a VietQR order shows no amount and note")
                return None
            TALLY["vietqr_orders"] += 1
            TO_PAY.append({"number": number, "amount": int(transfer.group(1)), "note": unescape(transfer.group(2)),
                           "producers": producers})
        elif method == "counter":
            TALLY["pickup_orders"] += 1
            PICKUPS.append(number)
        else:
            for code in producers:
                TO_SHIP[code].append(number)
        return number

    def checkout(self, method: str):
        """The checkout's pages for what is in the basket; the thank-you page (None: sold out, failed)."""
        basket = self.get_page("/basket/", "basket")
        if basket is None:
            return None
        if "/checkout/" not in basket.text or 'name="form-0-quantity"' not in basket.text:
            outcome(self, "sold out (basket refused the last unit)")
            return None
        n = next(_guests)
        if self.guest:
            gateway = self.post_form("/checkout/", {"username": f"khach{n}@load.example", "options": "anonymous"},
                                     "checkout: guest")
        else:
            gateway = self.get_page("/checkout/", "checkout: signed in", expect=(302,))
        if gateway is None:
            return None
        if "/basket/" in gateway.headers.get("Location", ""):
            outcome(self, "sold out (checkout sent back to the basket)")
            return None
        if method == "counter":  # collected at the load showroom: name and phone, no home address
            self.get_page("/checkout/pickup/", "checkout: pick-up page")
            contact = {"full_name": "Lò Thị Mai", "phone_number": f"09876{n % 100000:05d}",
                       "showroom": WORLD["showroom"]}
            if self.post_form("/checkout/pickup/", contact, "checkout: pick-up at the showroom") is None:
                return None
        else:
            if self.checkout_page("/checkout/shipping-address/", "checkout: address page", "address page") is None:
                return None
            address = {"full_name": "Nguyễn Thu Hà", "phone_number": "0912345678", "line1": f"{n} Tô Hiệu",
                       "notes": "", **WORLD["address"]}
            if self.post_form("/checkout/shipping-address/", address, "checkout: address") is None:
                return None
            methods = self.get_page("/checkout/shipping-method/", "checkout: shipping page", expect=(200, 302))
            if methods is None:
                return None
            if methods.status_code == 200:
                codes = [a or b for a, b in METHOD_CODE.findall(methods.text)]
                code = "standard" if "standard" in codes else (codes[0] if codes else "")
                if self.post_form("/checkout/shipping-method/", {"method_code": code}, "checkout: shipping") is None:
                    return None
        if self.checkout_page("/checkout/payment-method/", "checkout: payment page", "payment page") is None:
            return None
        label = {"cod": "checkout: payment COD", "vietqr": "checkout: payment VietQR",
                 "counter": "checkout: payment at the counter"}[method]
        if self.post_form("/checkout/payment-method/", {"method": method}, label) is None:
            return None
        return self.place_order()

    def place_order(self, attempt: int = 1):
        preview = self.get_page("/checkout/preview/", "checkout: preview", expect=(200, 302))
        if preview is None:
            return None
        if preview.status_code == 302:
            outcome(self, "sold out (preview sent back to the basket)")
            return None
        fingerprint = inputs(preview.text).get("basket_fingerprint")
        if not fingerprint:
            with self.client.request("GET", "/checkout/preview/", name="checkout: preview", catch_response=True) as r:
                r.failure("preview has no basket fingerprint")
            return None
        placed = self.post_form("/checkout/preview/", {"action": "place_order", "basket_fingerprint": fingerprint},
                                "checkout: place order", expect=(200, 302))
        if placed is None:
            return None
        where = placed.headers.get("Location", "")
        if placed.status_code == 200 and STOCK_REFUSED in placed.text:  # others took the last units meanwhile
            outcome(self, "sold out (refused at place order)")
            return None
        # The basket changed since the preview (a producer's new price): the preview again, rendered or redirected to.
        if placed.status_code == 200 or "/checkout/preview/" in where:
            outcome(self, "price changed: shown the preview again")
            return self.place_order(attempt + 1) if attempt < 3 else None
        if "/checkout/thank-you/" in where:
            TALLY["orders_placed"] += 1
            return self.get_page(where, "checkout: thank-you page")
        if "/basket/" in where:
            outcome(self, "sold out (refused at place order)")
        else:
            with self.client.request("GET", where or "/", name="checkout: place order", catch_response=True) as r:
                r.failure(f"place order went to {where!r}")
        return None


class Shopper(Buyer):
    """Browses, filters, searches, and buys as a guest: mostly cash on delivery, some by VietQR
    transfer (the Bank user pays it), some to collect at the showroom (paid at the counter); half of
    the purchases take a contested product (little stock, everyone wants it)."""

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
        roll = random.random()
        self.shop("vietqr" if roll < 0.2 else "counter" if roll < 0.4 else "cod")


class Member(Buyer):
    """A shopper with an account: buys with cash on delivery as themself, and once a parcel of theirs
    is delivered asks, from "my orders", to return one unit of it."""

    fixed_count = 2
    guest = False
    wait_time = between(0.5, 1.5)

    def on_start(self):
        me = WORLD["members"][next(_members) % len(WORLD["members"])]
        self.sign_in(me["email"], me["password"], "member")
        self.mine: list[str] = []

    @task(2)
    def buy(self):
        number = self.shop("cod")
        if number:
            TALLY["member_orders"] += 1
            self.mine.append(number)

    @task(3)
    def ask_a_return(self):
        delivered = [number for number in self.mine if number in DELIVERED]
        if not delivered:
            return
        number = delivered[0]
        self.mine.remove(number)
        page = self.get_page(f"/accounts/orders/{number}/", "member: my order")
        forms = RETURN_FORM.findall(page.text) if page is not None else []
        if forms and self.post_form(forms[0], {"quantity": 1, "reason": "Hộp bị móp khi giao"},
                                    "member: ask to return one unit") is not None:
            TALLY["returns_asked"] += 1


class Producer(FormUser):
    """A producer in the portal's quick-edit list: changes the price and the low-stock threshold of a
    contested product (shoppers are buying it at that moment) and the stock of their dedicated
    product (nobody buys it, so its final stock is the last value they set); and ships their lines
    of a recent order (the hand-over takes the units out of stock while shoppers hold the same rows)."""

    fixed_count = 2
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.me = WORLD["producers"][next(_producers) % len(WORLD["producers"])]
        self.dedicated = str(WORLD["dedicated"][self.me["code"]])
        self.sign_in(self.me["email"], self.me["password"], "producer")

    @task(2)
    def ship_an_order(self):
        """The next order with lines of theirs: a waybill with the carrier when one is configured (the
        carrier then picks the parcel up), else "shipped" by hand with a tracking number. A parcel the
        carrier brought back is seen to first."""
        if BACK[self.me["code"]]:
            self.receive_back()
            return
        queue = TO_SHIP[self.me["code"]]
        if queue:  # the new-order notice links straight to the order
            number = queue.popleft()
        else:
            listing = self.get_page("/dashboard/producer/orders/", "producer: orders")
            if listing is None:
                return
            numbers = ORDER_LINK.findall(listing.text)
            if not numbers:
                return
            number = random.choice(numbers[:10])
        url = f"/dashboard/producer/orders/{number}/"
        page = self.get_page(url, "producer: order page")
        if page is None:
            return
        if f"{url}waybill/" in page.text and 'value="ship"' in page.text:
            if self.post_form(f"{url}waybill/", {}, "producer: create waybill") is not None:
                TALLY["waybills"] += 1
            return
        if 'value="ship"' not in page.text:
            return  # shipped already, or not theirs to ship any more
        if self.post_form(url, {"action": "ship", "carrier": "Viettel Post", "tracking_number": f"VTP{number}"},
                          "producer: mark shipped") is not None:
            TALLY["ships"] += 1

    def receive_back(self):
        """A parcel the carrier brought back: the goods are back with the producer, into stock."""
        queue = BACK[self.me["code"]]
        if not queue:
            return
        number = queue.popleft()
        url = f"/dashboard/producer/orders/{number}/"
        page = self.get_page(url, "producer: order page")
        if page is None or 'value="receive_back"' not in page.text:
            return
        refused = re.findall(r'data-refused-line="(\d+)"', page.text)
        data = {"action": "receive_back", "door_line": refused, "reason": "",
                **{f"damaged-{pk}": "0" for pk in refused}}
        if refused and self.post_form(url, data, "producer: received back") is not None:
            TALLY["received_back"] += 1

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
        if PICKUPS:  # a shopper waiting at the pick-up desk comes first
            self.pickup()
            return
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

    def pickup(self):
        """A shopper comes for a pick-up order: goods the producer brought are received first (those
        off the shelf), then the order is paid in cash and handed over. One in five never comes."""
        if not PICKUPS:
            return
        number = PICKUPS.popleft()
        if random.random() < 0.2:
            return
        url = f"/pos/pickups/{number}/"
        page = self.get_page(url, "pos: pick-up order")
        if page is None:
            return
        if f"{url}receive/" in page.text:
            if self.post_form(f"{url}receive/", {}, "pos: receive the producer's goods") is None:
                return
            TALLY["pickups_received"] += 1
            page = self.get_page(url, "pos: pick-up order")
            if page is None:
                return
        due = inputs(page.text).get("cash_tendered")
        if due is None or f"{url}collect/" not in page.text:
            return
        done = self.post_form(f"{url}collect/", {"cash_tendered": due}, "pos: hand over a pick-up (cash)")
        if done is not None and "/receipt/" in done.headers.get("Location", ""):
            TALLY["pickups_collected"] += 1


class Carrier(FormUser):
    """The carrier's people (GHN or GHTK, on the fake of bench/loadtest_rails.py): each round every new
    parcel is picked up and taken to the door — delivered (cash collected) or, one in four, brought
    back to the producer — and the carrier posts its status webhook to the shop for each step; one
    webhook in eight is posted twice, as carriers retry."""

    fixed_count = 1
    wait_time = between(0.3, 0.8)

    def on_start(self):
        self.code = rails.carrier_from_env()
        self.steps = rails.STEPS[self.code]
        self.fake = os.environ.get("LOADTEST_CARRIER_URL", "")
        self.sent = 0
        self.seen: set[str] = set()  # a new parcel waits a round: the shop saves its waybill after the answer

    @task
    def move_parcels(self):
        if not self.fake:
            return
        try:
            parcels = requests.get(f"{self.fake}/_load/parcels", timeout=5).json()["parcels"]
        except (requests.RequestException, ValueError, KeyError):
            return
        moving = [p for p in parcels if p["status"] in (self.steps["ready"], self.steps["picked"])]
        for parcel in moving[:20]:
            status = parcel["status"]
            if status == self.steps["ready"]:
                if parcel["code"] not in self.seen:
                    self.seen.add(parcel["code"])
                    continue
                if not self.move(parcel, "picked", "carrier: webhook picked up"):
                    continue
                status = self.steps["picked"]  # a day's journey later, at the shopper's door
            if status == self.steps["picked"]:
                back = random.random() < 0.25
                if self.move(parcel, "returned" if back else "delivered",
                             "carrier: webhook returned" if back else "carrier: webhook delivered"):
                    number, _, partner_id = parcel["client_code"].rpartition("-")
                    if back:
                        TALLY["parcels_returned"] += 1
                        if partner_id in PRODUCER_OF:
                            BACK[PRODUCER_OF[partner_id]].append(number)
                    else:
                        TALLY["parcels_delivered"] += 1
                        DELIVERED.add(number)

    def move(self, parcel: dict, step: str, name: str) -> bool:
        try:
            requests.post(f"{self.fake}/_load/move", json={"code": parcel["code"], "to": self.steps[step]}, timeout=5)
        except requests.RequestException:
            return False
        path, body = rails.webhook(self.code, parcel["code"])
        self.sent += 1
        times = 2 if self.sent % 8 == 0 else 1
        for attempt in range(times):
            with self.client.post(path, name=name if attempt == 0 else "carrier: webhook again (retry)",
                                  catch_response=True, **body) as response:
                if response.status_code != 200 or not response.json().get("confirmed"):
                    response.failure(f"{name}: HTTP {response.status_code} {response.text[:120]}")
                    return False
                response.success()
            TALLY["webhooks" if attempt == 0 else "webhook_replays"] += 1
        return True


class Bank(FormUser):
    """SePay telling the shop of incoming transfers: each VietQR order is paid with its amount and note
    (as banks pass the note on), then it goes to its producers to ship. Every second notification is
    sent again (SePay retries), and after every third payment comes a transfer the shop cannot
    match: one naming no order, or a second payment of an order already paid."""

    fixed_count = 1
    wait_time = between(0.3, 0.8)

    def on_start(self):
        self.sent = 0
        self.paid: list[str] = []
        self.ids = itertools.count(random.randint(10**8, 9 * 10**8))

    def notify(self, payload: dict, name: str) -> dict | None:
        with self.client.post(rails.fake_sepay.URL, data=json.dumps(payload), name=name, catch_response=True,
                              headers={"Content-Type": "application/json",
                                       "Authorization": f"Apikey {rails.fake_sepay.API_KEY}"}) as response:
            if response.status_code != 200:
                response.failure(f"{name}: HTTP {response.status_code} {response.text[:120]}")
                return None
            response.success()
            return response.json()

    def transaction(self, content: str, amount: int) -> dict:
        return rails.fake_sepay.transaction(content=content, amount=amount, id=next(self.ids),
                                            referenceCode=f"FT26340{random.randint(10**6, 10**7)}")

    @task
    def transfers(self):
        if not TO_PAY:
            return
        order = TO_PAY.popleft()
        payload = self.transaction(f"MBVCB.{random.randint(10**9, 10**10)}.{order['note']}.CHUYEN TIEN",
                                   order["amount"])
        answer = self.notify(payload, "bank: transfer for a VietQR order")
        if answer is None:
            return
        if answer.get("status") == "matched":
            TALLY["transfers_matched"] += 1
            self.paid.append(order["number"])
            for code in order["producers"]:
                TO_SHIP[code].append(order["number"])
        self.sent += 1
        if self.sent % 2 == 0:
            again = self.notify(payload, "bank: the same notification again (retry)")
            if again is not None and again.get("replay"):
                TALLY["transfer_replays"] += 1
        if self.sent % 3 == 1:  # money the shop cannot match to one order: listed for the office
            if self.sent % 2 == 0 and self.paid:
                number = random.choice(self.paid)
                payload = self.transaction(f"MBVCB.{random.randint(10**9, 10**10)}.{number}.THANH TOAN LAI", 100000)
            else:
                payload = self.transaction("IBFT CHUYEN TIEN UNG HO", random.randint(1, 50) * 10000)
            answer = self.notify(payload, "bank: transfer the shop cannot match")
            if answer is not None:
                TALLY["transfers_unmatched"] += answer.get("status") == "unmatched"


class Office(FormUser):
    """An office clerk answering returns: accepts each request (refunding the price with a reference,
    as for cash on delivery) and records the goods received back, from the order's dashboard page."""

    fixed_count = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.sign_in(WORLD["office"]["email"], WORLD["office"]["password"], "office")

    @task
    def answer_returns(self):
        listing = self.get_page("/dashboard/orders/returns/", "office: returns")
        if listing is None:
            return
        numbers = list(dict.fromkeys(re.findall(r'href="/dashboard/orders/([\w-]+)/#returns"', listing.text)))
        for number in numbers[:3]:
            url = f"/dashboard/orders/{number}/"
            page = self.get_page(url, "office: order page")
            if page is None:
                continue
            for chunk in page.text.split('data-return="')[1:]:
                pk = chunk.split('"', 1)[0]
                block = chunk.split('data-return="', 1)[0]
                if 'value="accept_return"' in block:
                    refund = re.search(r'name="refund_amount"[^>]*value="(\d+)"', block)
                    if self.post_form(url, {"order_action": "accept_return", "return": pk,
                                            "refund_amount": refund.group(1) if refund else "",
                                            "refund_reference": f"HOAN-{pk}", "note": "Đồng ý nhận lại"},
                                      "office: accept a return and refund") is not None:
                        TALLY["returns_accepted"] += 1
                elif 'value="receive_return"' in block:
                    if self.post_form(url, {"order_action": "receive_return", "return": pk, "damaged": "0",
                                            "reason": ""}, "office: returned goods received") is not None:
                        TALLY["returns_received"] += 1


@events.quitting.add_listener
def write_tally(environment, **_kwargs):
    if os.environ.get("LOADTEST_CLIENT"):
        with open(os.environ["LOADTEST_CLIENT"], "w") as out:
            json.dump(TALLY, out)

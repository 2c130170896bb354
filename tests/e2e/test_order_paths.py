"""One order down each of the five paths of an order (issue 16), through the real screens in Chromium:

A. door, cash on delivery, delivered: the shopper orders to their home (phone), the producer hands
   it to the carrier and marks it delivered with the cash collected (portal, phone);
B. refused at the door: the office records the refusal (dashboard, 1366×768), the producer marks the
   parcel received back, and the order is Returned;
C. returned after delivery: the office records the COD cash and the delivery, the shopper asks to
   return it from their account, the office accepts and refunds, the producer receives it back;
D. showroom pick-up from the shelf: ready at once, the cashier takes the cash and hands it over
   (counter /pos/, 1366×768); the shopper's account says where it was collected;
E. pick-up the producer supplies: the portal says to bring it to the showroom, the counter records
   the goods received, takes the payment and hands it over.

Screenshots are viewport-sized (phone 390×844 for shopper and producer, 1366×768 for office and
counter) and go to artifacts/paths-*.png; with OCOP_SCREENSHOTS=1 to docs/screenshots/ as well (the
README's copies, in 256 colours). The walk shares the session's e2e server and works at the Vân Hồ and Tà Xùa
counters, which no other browser test opens a shift at.
"""
from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from .conftest import DESKTOP, PHONE, ROOT, SERVER_DIRS

pytestmark = pytest.mark.browser

DOCS = ROOT / "docs" / "screenshots"
SHOPPER = ("khach@ocop.demo", "ocop-customer-2026")  # demo accounts printed by load_demo (demo/data.py, demo/pos.py)
PRODUCER = ("htx.chiengmai@ocop.demo", "ocop-producer-2026")
OFFICE = ("vanphong@ocop.demo", "ocop-office-2026")
CASHIERS = {"demo-van-ho": ("thungan.van-ho@ocop.demo", "ocop-cashier-2026"),
            "demo-ta-xua": ("thungan.ta-xua@ocop.demo", "ocop-cashier-2026")}
DOOR_SKU, OFF_SHELF_SKU = "CF-002", "CF-003"  # Chiềng Mai coffee: on the portal of PRODUCER; CF-003 on no shelf


def for_docs(shot: Path) -> None:
    """With OCOP_SCREENSHOTS=1, a copy of the screenshot in docs/screenshots/ reduced to 256 colours."""
    if os.environ.get("OCOP_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        Image.open(shot).convert("RGB").quantize(256).save(DOCS / shot.name, optimize=True)


def dong(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


class Walk:
    """The screens of the walk, one browser context per person, and where screenshots go."""

    def __init__(self, new_page, base: str, artifacts: Path | None = None):
        self.new_page, self.artifacts = new_page, artifacts
        self.db = SERVER_DIRS[base] / "e2e.sqlite3"
        self.errors: list[str] = []

    def page(self, viewport):
        page = self.new_page(viewport)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        return page

    @staticmethod
    def top(locator) -> None:
        """Scroll so that this element is at the top of the screen (what the screenshot shows)."""
        locator.first.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8)")

    def shot(self, page, name: str) -> None:
        path = self.artifacts / f"paths-{name}.png"
        page.screenshot(path=str(path))  # the viewport only: small PNGs
        for_docs(path)

    def query(self, sql: str, *args):
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as db:
            return db.execute(sql, args).fetchall()

    def product_of_sku(self, sku: str) -> int:
        return self.query("SELECT product_id FROM partner_stockrecord WHERE partner_sku = ?", sku)[0][0]

    def shelf_product(self, slug: str) -> int:
        return self.query("SELECT r.product_id FROM partner_stockrecord r JOIN showrooms_showroom s "
                          "ON s.partner_id = r.partner_id WHERE s.slug = ? AND r.num_in_stock - "
                          "COALESCE(r.num_allocated, 0) > 1 ORDER BY r.product_id", slug)[0][0]

    def status(self, number: str) -> str:
        return self.query("SELECT status FROM order_order WHERE number = ?", number)[0][0]

    # --- signing in -------------------------------------------------------------------------
    def shopper(self):
        page = self.page(PHONE)
        page.goto("/accounts/login/")
        page.fill("#id_login-username", SHOPPER[0])
        page.fill("#id_login-password", SHOPPER[1])
        with page.expect_navigation():
            page.click("button[name=login_submit]")
        return page

    def dashboard_user(self, account, viewport):
        page = self.page(viewport)
        page.goto("/dashboard/login/")
        page.fill("input[name=username]", account[0])
        page.fill("input[name=password]", account[1])
        with page.expect_navigation():
            page.locator("#dashboard_login_form [type=submit]").click()
        return page

    def cashier(self, slug):
        page = self.page(DESKTOP)
        page.goto("/accounts/login/?next=/pos/")
        page.fill("#id_login-username", CASHIERS[slug][0])
        page.fill("#id_login-password", CASHIERS[slug][1])
        page.click("button[name=login_submit]")
        page.wait_for_url("**/pos/")
        if page.locator("#opening_float").count():  # else a shift of this counter is open already
            page.fill("#opening_float", "500000")
            with page.expect_navigation():
                page.click("#open-shift")
        return page

    # --- the shopper's checkout ---------------------------------------------------------------
    def to_checkout(self, shopper, product_id: int) -> None:
        shopper.goto(f"/catalogue/p_{product_id}/")
        with shopper.expect_navigation():
            shopper.locator("#add_to_basket_form button[type=submit]").click()
        shopper.goto("/checkout/")
        shopper.wait_for_url("**/checkout/shipping-address/")

    def place(self, shopper, method: str, shot: str | None = None) -> str:
        shopper.wait_for_url("**/checkout/payment-method/")
        shopper.check(f"input[name=method][value={method}]")
        if shot:
            self.shot(shopper, shot)
        with shopper.expect_navigation():
            shopper.click("#choose-payment")
        shopper.wait_for_url("**/checkout/preview/")
        with shopper.expect_navigation():
            shopper.click("#place-order")
        shopper.wait_for_url("**/checkout/thank-you/")
        return shopper.inner_text("p.lead strong").strip()

    def order_home_cod(self, shopper, product_id: int, shot: str | None = None) -> str:
        self.to_checkout(shopper, product_id)
        shopper.fill("#id_full_name", "Nguyễn Thu Hà")
        shopper.fill("#id_phone_number", "0912 345 678")
        shopper.select_option("#id_province", "14")  # Sơn La; the ward list follows (ocop-address.js)
        shopper.wait_for_function("() => [...document.querySelectorAll('#id_ward option')]"
                                  ".some(o => o.textContent.includes('Tô Hiệu'))")
        shopper.select_option("#id_ward", label="Phường Tô Hiệu")
        shopper.fill("#id_line1", "12 Tô Hiệu")
        with shopper.expect_navigation():
            shopper.locator("#id_line1").press("Enter")
        return self.place(shopper, "cod", shot)  # screen 2: standard delivery is chosen, the payment asked

    def order_pickup(self, shopper, product_id: int, slug: str, shot: str | None = None) -> str:
        self.to_checkout(shopper, product_id)
        shopper.click("label[for=where-pickup]")  # screen 1's second choice: pick-up at a showroom
        # Not the pick-up walk's phone (test_pickup.py finds its order by phone at the counter).
        shopper.fill("#pickup_full_name", "Cầm Thị Hoa")
        shopper.fill("#pickup_phone_number", "0978 123 456")
        shopper.locator(f'[data-showroom="{slug}"] label').click()
        if shot:
            self.top(shopper.locator(f'[data-showroom="{slug}"]'))
            self.shot(shopper, shot)
        with shopper.expect_navigation():
            shopper.click("#choose-pickup")
        return self.place(shopper, "counter")

    def account_order(self, shopper, number: str) -> str:
        shopper.goto(f"/accounts/orders/{number}/")
        return shopper.inner_text("main, body")

    # --- the producer's portal ----------------------------------------------------------------
    def portal_order(self, producer, number: str) -> None:
        producer.goto(f"/dashboard/producer/orders/{number}/")

    def ship(self, producer, number: str, shot: str | None = None) -> None:
        self.portal_order(producer, number)
        producer.fill("#id_carrier", "Viettel Post")
        producer.fill("#id_tracking_number", f"VTP{number}")
        if shot:
            self.top(producer.locator("#my-lines"))
            self.shot(producer, shot)
        with producer.expect_navigation():
            producer.click("button[name=action][value=ship]")
        assert producer.locator("#door-form [data-door-line]").count() == 1

    def portal_door(self, producer, action: str, shot: str | None = None) -> None:
        button = producer.locator(f"#door-form button[name=action][value={action}]")
        self.top(producer.locator("#door-form"))
        if shot:
            self.shot(producer, shot)
        with producer.expect_navigation():
            button.click()

    # --- the office -----------------------------------------------------------------------------
    def office_order(self, office, number: str) -> None:
        office.goto(f"/dashboard/orders/{number}/")


@pytest.fixture
def walk(new_page, shop_server, artifacts):
    return Walk(new_page, shop_server, artifacts)


def test_one_order_down_each_of_the_five_paths(walk):
    shopper = walk.shopper()
    producer = walk.dashboard_user(PRODUCER, PHONE)
    office = walk.dashboard_user(OFFICE, DESKTOP)
    coffee = walk.product_of_sku(DOOR_SKU)

    # A. Door, cash on delivery, delivered -------------------------------------------------------
    delivered = walk.order_home_cod(shopper, coffee, shot="door-payment-phone")
    assert walk.status(delivered) == "Processing"
    walk.ship(producer, delivered, shot="door-ship-phone")
    owed = dong(producer.inner_text("#cod-owed"))
    assert owed > 0
    walk.portal_door(producer, "deliver", shot="door-at-the-door-phone")
    assert "Đã giao" in producer.inner_text("#my-lines")
    page = walk.account_order(shopper, delivered)
    assert "Đã giao" in page and "12 Tô Hiệu" in page
    walk.top(shopper.locator("h1"))
    walk.shot(shopper, "door-delivered-phone")
    assert walk.status(delivered) == "Delivered"

    # B. Refused at the door, back with the producer -------------------------------------------
    refused = walk.order_home_cod(shopper, coffee)
    walk.ship(producer, refused)
    walk.office_order(office, refused)
    office.fill("#door-form input[name=reason]", "Khách không nghe máy, từ chối nhận hàng")
    walk.top(office.locator("#door-form"))
    walk.shot(office, "refused-office-desktop")
    with office.expect_navigation():
        office.click("#door-form button[value=refuse_lines]")
    assert walk.status(refused) == "Refused"
    walk.portal_order(producer, refused)
    assert producer.locator("#door-form [data-refused-line]").count() == 1
    walk.portal_door(producer, "receive_back", shot="refused-received-back-phone")
    assert walk.status(refused) == "Returned"
    assert "Đã hoàn về nhà sản xuất" in walk.account_order(shopper, refused)

    # C. Delivered, then returned ------------------------------------------------------------
    returned = walk.order_home_cod(shopper, coffee)
    walk.ship(producer, returned)
    walk.office_order(office, returned)
    cod = office.locator("#record-cod-form")
    walk.top(cod)
    walk.shot(office, "return-cod-office-desktop")
    with office.expect_navigation():
        cod.locator("button[type=submit]").click()
    assert walk.status(returned) == "Delivered"
    walk.account_order(shopper, returned)
    ask = shopper.locator("#returns form[data-return-line]")
    ask.locator("textarea[name=reason]").fill("Gói cà phê bị rách khi nhận")
    walk.top(ask)
    walk.shot(shopper, "return-ask-phone")
    with shopper.expect_navigation():
        ask.locator("button[type=submit]").click()
    assert "Đang chờ chúng tôi trả lời" in shopper.inner_text("#returns")
    office.goto("/dashboard/orders/returns/")
    assert office.locator(f"text={returned}").count() >= 1
    walk.office_order(office, returned)
    answer = office.locator("#returns [data-return] form").first
    walk.top(office.locator("#returns"))
    answer.locator("input[name=refund_reference]").fill("FT-HOANTIEN-01")
    answer.locator("input[name=note]").fill("Đã hoàn tiền, xin lỗi chị vì gói bị rách")
    walk.shot(office, "return-accept-office-desktop")
    with office.expect_navigation():
        answer.locator("button[value=accept_return]").click()
    walk.portal_order(producer, returned)
    back = producer.locator("#returns form")
    walk.top(producer.locator("#returns"))
    walk.shot(producer, "return-received-phone")
    with producer.expect_navigation():
        back.locator("button[value=receive_return]").click()
    assert "Đã nhận lại hàng" in walk.account_order(shopper, returned)
    walk.top(shopper.locator("#returns"))
    walk.shot(shopper, "return-done-phone")

    # D. Pick-up from the showroom's shelf ---------------------------------------------------
    van_ho = walk.cashier("demo-van-ho")
    from_shelf = walk.order_pickup(shopper, walk.shelf_product("demo-van-ho"), "demo-van-ho",
                                   shot="shelf-checkout-phone")
    van_ho.goto("/pos/pickups/?tab=ready")
    assert van_ho.locator(f'[data-order="{from_shelf}"]').count() == 1
    van_ho.goto(f"/pos/pickups/{from_shelf}/")
    due = dong(van_ho.inner_text("#pickup-due"))
    van_ho.fill("#pickup-cash", "500000")
    walk.shot(van_ho, "shelf-counter-desktop")
    with van_ho.expect_navigation():
        van_ho.click("#pickup-hand-over")
    van_ho.wait_for_url(f"**/pos/pickups/{from_shelf}/receipt/")
    assert dong(van_ho.inner_text("#receipt-change")) == 500000 - due
    page = walk.account_order(shopper, from_shelf)
    assert "Nhận tại điểm trưng bày: Điểm OCOP Vân Hồ" in page and "Đã giao" in page
    walk.top(shopper.locator("#pickup-place"))
    walk.shot(shopper, "shelf-collected-phone")
    assert walk.status(from_shelf) == "Delivered"

    # E. Pick-up the producer supplies -------------------------------------------------------
    ta_xua = walk.cashier("demo-ta-xua")
    supplied = walk.order_pickup(shopper, walk.product_of_sku(OFF_SHELF_SKU), "demo-ta-xua")
    page = walk.account_order(shopper, supplied)
    assert "Nhận tại điểm trưng bày: Điểm OCOP Tà Xùa" in page and "Chờ hàng" in page
    walk.portal_order(producer, supplied)
    assert "Điểm OCOP Tà Xùa" in producer.inner_text("#deliver-to-showroom")
    assert producer.locator("#id_carrier").count() == 0  # no courier for a pick-up
    walk.shot(producer, "supplied-portal-phone")
    ta_xua.goto(f"/pos/pickups/{supplied}/")
    walk.shot(ta_xua, "supplied-counter-waiting-desktop")
    with ta_xua.expect_navigation():
        ta_xua.click("#pickup-receive button[type=submit]")
    due = dong(ta_xua.inner_text("#pickup-due"))
    ta_xua.fill("#pickup-cash", str(due))
    with ta_xua.expect_navigation():
        ta_xua.click("#pickup-hand-over")
    ta_xua.wait_for_url(f"**/pos/pickups/{supplied}/receipt/")
    walk.shot(ta_xua, "supplied-receipt-desktop")
    assert "Đã giao" in walk.account_order(shopper, supplied)
    assert walk.status(supplied) == "Delivered"
    assert walk.errors == [], walk.errors

"""The OCOP office on a desktop (1366×768) in Chromium (issue 19): a member of the office signs in to
Oscar's dashboard with the OCOP Sơn La logo and the OCOP menu first, and walks their day's screens:
orders, an order, certificates, the GI registry, unmatched bank transfers, payouts, reports. Every
page, as the browser shows it (after its scripts), must hold no English msgid left untranslated and
no known-wrong Vietnamese phrase, read by the checker of tests/i18n/test_vietnamese_pages.py.
Screenshots (viewport): artifacts/office-*.png; with OCOP_SCREENSHOTS=1 also docs/screenshots/ (256 colours)."""
from __future__ import annotations

import pytest

from tests.i18n.test_vietnamese_pages import english_msgids, known_wrong_phrases, problems_on

from .conftest import DESKTOP
from .test_order_paths import Walk, for_docs

pytestmark = pytest.mark.browser

OFFICE = ("vanphong@ocop.demo", "ocop-office-2026")  # printed by load_demo (demo/data.py)
# (screenshot name, path, what the page must show)
PAGES = [
    ("orders", "/dashboard/orders/", "Đơn hàng"),
    ("certificates", "/dashboard/ocop/certificates/", "Giấy chứng nhận"),
    ("gi-registry", "/dashboard/ocop/gis/", "Chỉ dẫn địa lý"),
    ("transfers", "/dashboard/transfers/", "chuyển khoản"),
    ("payouts", "/dashboard/settlement/payouts/", "Đợt thanh toán"),
    ("settlement-report", "/dashboard/settlement/report/", "Báo cáo"),
    ("daily-report", "/dashboard/pos/daily/", "14 ngày"),
]


def test_the_office_walks_its_desk_in_vietnamese(new_page, shop_server, artifacts):
    english, phrases = english_msgids(), known_wrong_phrases()
    # An order of the day to open (the demo has none): a shopper's cash-on-delivery order.
    walk = Walk(new_page, shop_server)
    number = walk.order_home_cod(walk.shopper(), walk.product_of_sku("CF-001"))
    page = new_page(DESKTOP)
    errors, problems = [], {}
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))

    def read(name: str) -> None:
        for problem in problems_on(page.content(), english, phrases):
            problems.setdefault(problem, []).append(name)
        shot = artifacts / f"office-{name}-desktop.png"
        page.screenshot(path=str(shot))  # the viewport only: small PNGs
        for_docs(shot)

    page.goto("/dashboard/login/")
    read("sign-in")
    page.fill("input[name=username]", OFFICE[0])
    page.fill("input[name=password]", OFFICE[1])
    with page.expect_navigation():
        page.locator("#dashboard_login_form [type=submit]").click()
    brand = page.locator("#ocop-dashboard-brand")
    assert brand.inner_text().strip() == "OCOP Sơn La" and brand.locator("svg.brand__mark").count() == 1
    assert page.locator("link[rel=icon]").get_attribute("href").endswith("ocop/logo-mark.svg")
    menu = [text.strip() for text in page.locator("#bottom_nav_bar > ul > li > a").all_inner_texts()]
    assert menu[0] == "OCOP", menu
    read("home")

    for name, path, heading in PAGES:
        response = page.goto(path)
        assert response.status == 200, (path, response.status)
        assert heading.lower() in page.inner_text("body").lower(), (path, heading)
        read(name)
        if name == "orders":
            with page.expect_navigation():
                page.locator(f"table tbody a[href='/dashboard/orders/{number}/']").first.click()
            assert number in page.inner_text("h1")
            read("order")

    assert errors == [] and walk.errors == []
    assert not problems, "\n".join(f"{problem}  <- {', '.join(where)}" for problem, where in sorted(problems.items()))

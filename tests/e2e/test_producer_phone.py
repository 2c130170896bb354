"""A producer on a phone (issue 19): signs in and walks their portal — home, orders, an order packed
(without typing a carrier), shipped and delivered, stock and prices, the month's statement, products and
profile. On every page: Vietnamese only (the checker of tests/i18n/test_vietnamese_pages.py),
nothing wider than the 390 px screen, no serious or critical axe-core violation. The styled
403/404 pages are tests/producer_portal/test_pages.py's (this server runs with DEBUG on: Django's
technical 404). Screenshots: artifacts/producer-*.png (copies in docs/screenshots/)."""
import pytest

from tests.e2e.conftest import PHONE, SERVER_DIRS, _manage, _server_env
from tests.e2e.test_storefront import axe_violations
from tests.i18n.test_vietnamese_pages import english_msgids, known_wrong_phrases, problems_on

pytestmark = pytest.mark.browser

# Elements that stick out of the viewport (a table, a long word, a fixed width), with what they are.
WIDER_THAN_THE_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.body.querySelectorAll('*')].filter(e => {
        const box = e.getBoundingClientRect();
        return box.width > 1 && (box.right > width + 1 || box.left < -1);
    }).slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)}px)`);
}"""


def test_a_producer_walks_their_portal_on_a_phone(new_page, shop_server, artifacts):
    # The demo's orders for the two demo producers (DEMO-100001..3), as `make demo` users get them.
    _manage(_server_env(SERVER_DIRS[shop_server]), "demo_orders")
    english, phrases = english_msgids(), known_wrong_phrases()
    page = new_page(PHONE)
    errors, report = [], {}
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def look(name, shot=True, at=None):
        """Read the page as the producer does; remember what is wrong with it; a screenshot of the
        screen (scrolled to `at`)."""
        found = problems_on(page.content(), english, phrases)
        found += [f"wider than the screen: {e}" for e in page.evaluate(WIDER_THAN_THE_SCREEN)]
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            found.append("the page scrolls sideways")
        found += axe_violations(page)
        if found:
            report[name] = found
        if at:
            page.locator(at).scroll_into_view_if_needed()
        if shot:
            page.screenshot(path=str(artifacts / f"producer-{name}-phone.png"))

    def tab(label):
        with page.expect_navigation():
            page.locator(".pp-tabs").get_by_role("link", name=label).click()

    page.goto("/dashboard/login/")
    page.fill("input[name=username]", "htx.chiengmai@ocop.demo")
    page.fill("input[name=password]", "ocop-producer-2026")
    page.locator("#dashboard_login_form [type=submit]").click()
    page.wait_for_url("**/dashboard/producer/")
    assert page.locator("h1").first.inner_text().strip() == "HTX Cà phê Chiềng Mai"
    assert page.locator("#orders-to-fulfil a", has_text="DEMO-100002").count() == 1
    for section in ("#orders-to-fulfil", "#low-stock", "#month-sales", "#expiring-certificates"):
        assert page.locator(section).is_visible()
    tabs = page.locator(".pp-tab")
    assert tabs.count() == 5 and min(tabs.nth(i).bounding_box()["height"] for i in range(5)) >= 44
    look("home")

    tab("Đơn hàng")
    look("orders")
    with page.expect_navigation():
        page.locator("#order-list a", has_text="DEMO-100002").click()
    with page.expect_navigation():  # the carrier's field is empty and required: packing does not need it
        page.get_by_role("button", name="Đánh dấu đã đóng gói").click()
    assert "đóng gói" in page.locator(".pp-messages").inner_text()
    assert page.locator("#my-lines .pp-status", has_text="Đã đóng gói").count() >= 1
    look("order")
    page.fill("input[name=carrier]", "Viettel Post")
    page.fill("input[name=tracking_number]", "VTP123456789")
    with page.expect_navigation():
        page.get_by_role("button", name="Đánh dấu đã gửi hàng").click()
    assert "vận chuyển" in page.locator(".pp-messages").inner_text()
    assert "VTP123456789" in page.locator("#shipments").inner_text()
    look("shipped", shot=False)
    with page.expect_navigation():  # the carrier has handed it over: the producer is credited
        page.get_by_role("button", name="Đánh dấu đã giao").click()
    assert "đã giao" in page.locator(".pp-messages").inner_text()

    tab("Kho & giá")
    assert page.locator("#stock-form input[name$=num_in_stock]").count() >= 3
    look("stock")
    tab("Doanh thu")
    # The delivered demo order is on the statement (other walks on this server may have added rows above it).
    assert page.locator("#statement [data-statement-row]", has_text="DEMO-100002").count() == 1
    look("statement", at="#statement")
    tab("Sản phẩm")
    look("products", shot=False)
    with page.expect_navigation():
        page.locator("#product-list a").first.click()
    assert page.locator("textarea[name=description]").is_visible()
    look("product")
    with page.expect_navigation():
        page.locator(".pp-header").get_by_role("link", name="Hồ sơ").click()
    look("profile", shot=False)

    assert report == {}
    assert errors == []

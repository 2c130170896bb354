"""A producer on a phone: signs in, lands on their home, and reads it without scrolling sideways."""
import pytest

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.browser


def test_a_producer_signs_in_on_a_phone_and_sees_their_home(new_page, artifacts):
    page = new_page(PHONE)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/dashboard/login/")
    page.fill("input[name=username]", "htx.chiengmai@ocop.demo")
    page.fill("input[name=password]", "ocop-producer-2026")
    page.locator("#dashboard_login_form [type=submit]").click()
    page.wait_for_url("**/dashboard/producer/")
    assert page.locator("h1").first.inner_text().strip() == "HTX Cà phê Chiềng Mai"
    for section in ("#month-sales", "#orders-to-fulfil", "#low-stock", "#expiring-certificates"):
        assert page.locator(section).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "producer-home-phone.png"), full_page=True)
    page.goto("/dashboard/producer/stock/")
    assert page.locator("#stock-form input[name$=num_in_stock]").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "producer-stock-phone.png"), full_page=True)
    assert errors == []

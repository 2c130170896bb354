"""The browser harness itself: the demo shop answers in Chromium, in Vietnamese, with no error."""
import pytest

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.browser


def test_home_page_renders_in_chromium_on_a_phone(new_page, artifacts):
    page = new_page(PHONE)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto("/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "vi"
    page.screenshot(path=str(artifacts / "smoke-home-phone.png"))
    assert errors == []

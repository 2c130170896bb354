"""The storefront in a real browser: screenshots of the main pages on a phone and a desktop, the
product page's weight and origin budget, axe-core's accessibility check and keyboard use.

Weights are measured on the harness's server (runserver, DEBUG=1: static files served
uncompressed), so they are an upper bound of what gunicorn + WhiteNoise's compressed files send.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BUDGET_BYTES = 300_000  # first load of a product page, product photos excluded
PRODUCT_SKU_TITLE = "Cà phê Arabica Sơn La rang xay nguyên chất 500g"  # demo CF-001, 5★ with a GI
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def product_url(page) -> str:
    page.goto("/search/?q=" + "ca phe arabica rang xay")
    link = page.get_by_role("link", name=PRODUCT_SKU_TITLE).first
    return urlsplit(link.get_attribute("href")).path


def axe_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, which the page's CSP does not govern: a <script> tag
    # with axe inline would be (rightly) refused by the shop's script-src.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def settle(page) -> None:
    """Bring lazily loaded photos in before a full-page screenshot."""
    page.evaluate("""async () => {
        for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
            scrollTo(0, y);
            await new Promise(done => setTimeout(done, 40));
        }
        scrollTo(0, 0);
    }""")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_main_pages_screenshots_and_no_serious_accessibility_violation(new_page, artifacts, device):
    page = new_page(VIEWPORTS[device])
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    url = product_url(page)
    shots = [("home", "/"), ("listing", "/catalogue/"), ("product", url)]
    report = {}
    for name, path in shots:
        assert page.goto(path).status == 200
        settle(page)
        page.screenshot(path=str(artifacts / f"storefront-{name}-{device}.png"), full_page=True)
        report[name] = axe_violations(page)

    page.goto(url)
    with page.expect_navigation():
        page.locator("#add_to_basket_form button[type=submit]").click()
    assert page.goto("/basket/").status == 200
    assert PRODUCT_SKU_TITLE in page.locator("#basket_formset").inner_text()
    page.screenshot(path=str(artifacts / f"storefront-basket-{device}.png"), full_page=True)
    report["basket"] = axe_violations(page)

    assert page.goto("/checkout/").status == 200
    page.screenshot(path=str(artifacts / f"storefront-checkout-{device}.png"), full_page=True)
    report["checkout"] = axe_violations(page)

    assert {name: found for name, found in report.items() if found} == {}
    assert errors == []


def test_product_page_first_load_is_light_and_stays_on_our_origin(new_page, shop_server):
    page = new_page(PHONE)
    url = product_url(page)
    page.context.clear_cookies()
    fresh = new_page(PHONE)  # a new context: empty HTTP cache, as a first visit
    cdp = fresh.context.new_cdp_session(fresh)
    cdp.send("Network.enable")
    urls, sizes, requested = {}, {}, []
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    fresh.on("request", lambda request: requested.append(request.url))

    fresh.goto(url, wait_until="networkidle")
    settle(fresh)

    assert requested and all(urlsplit(u).hostname == "127.0.0.1" for u in requested), requested
    counted = {urls[rid]: size for rid, size in sizes.items()
               if rid in urls and not urlsplit(urls[rid]).path.startswith("/media/")}
    total = sum(counted.values())
    photos = [u for u in urls.values() if urlsplit(u).path.startswith("/media/")]
    lines = "\n".join(f"{size:>8} {u}" for u, size in sorted(counted.items(), key=lambda kv: -kv[1]))
    print(f"\nproduct page first load: {total} bytes without photos ({len(photos)} photos)\n{lines}")
    assert total < BUDGET_BYTES, lines
    assert photos and all(re.search(r"\.(webp|jpe?g)$", u) for u in photos)  # resized thumbnails, not originals


def test_keyboard_reaches_the_search_box_and_add_to_basket(new_page):
    page = new_page(DESKTOP)
    page.goto("/")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("ca phe arabica rang xay")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/**")
    assert page.get_by_role("link", name=PRODUCT_SKU_TITLE).count() >= 1

    page.goto(product_url(page))
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#add_to_basket_form') !== null "
                         "&& document.activeElement.type === 'submit'"):
            break
    else:
        pytest.fail("Tab never reached the add-to-basket button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[data-basket-count]").inner_text() == "1"  # the header's basket count


def test_badges_have_text_alternatives(new_page):
    page = new_page(PHONE)
    page.goto("/catalogue/?stars=5")
    badges = page.locator("[data-ocop-stars]")
    assert badges.count() >= 1
    for i in range(badges.count()):
        badge = badges.nth(i)
        assert badge.get_attribute("role") == "img"
        assert re.fullmatch(r"OCOP [345] sao", badge.get_attribute("aria-label"))
    gi = page.locator("[data-gi]").first
    assert "Chỉ dẫn địa lý" in gi.inner_text()  # the visually hidden words a screen reader reads

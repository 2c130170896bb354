"""The storefront in a real browser: screenshots of the main pages on a phone and a desktop, the
product page's weight and origin budget, axe-core's accessibility check and keyboard use.

Weights are measured on the harness's server (runserver, DEBUG=1: static files served
uncompressed), so they are an upper bound of what gunicorn + WhiteNoise's compressed files send.
"""
from __future__ import annotations

import os
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


# ---- a shopper on a phone, search to placed orders (issue 19) ----

# The README's copies in docs/screenshots/ are written only when asked (OCOP_SCREENSHOTS=1): a plain
# `make test` must leave the checkout as it found it.
SCREENSHOTS = Path(__file__).resolve().parents[2] / ("docs/screenshots" if os.environ.get("OCOP_SCREENSHOTS") == "1"
                                                     else "artifacts/screenshots")
CHECKOUT_SCREENS = ("/checkout/shipping-address/", "/checkout/payment-method/", "/checkout/preview/")
# An element sticking out of the viewport, unless a scrolling box (a rail of cards, the category
# bar) holds it; and buttons whose text overflows them.
TOO_WIDE = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > vw) out.push('page ' + document.documentElement.scrollWidth + ' > ' + vw);
  const scrolls = el => { for (let a = el.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > vw + 1 || r.left < -1) && !scrolls(el)) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    if (el.matches('.btn, button') && r.width && el.scrollWidth > el.clientWidth + 1) out.push('overflowing button: ' + el.textContent.trim());
  }
  return out.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def vietnamese_checker():
    from tests.i18n.test_vietnamese_pages import english_msgids, known_wrong_phrases, problems_on

    english, phrases = english_msgids(), known_wrong_phrases()
    return lambda html: problems_on(html, english, phrases)


def test_a_shopper_on_a_phone_searches_filters_and_orders_cod_and_vietqr_in_three_screens(new_page, vietnamese_checker):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page(PHONE, permissions=["clipboard-read", "clipboard-write"])
    errors, report = [], {}
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def seen(name, shot=True):
        page.wait_for_load_state("load")
        report[name] = vietnamese_checker(page.content()) + page.evaluate(TOO_WIDE)
        if shot:
            page.screenshot(path=str(SCREENSHOTS / f"shopper-{name}.png"))  # the viewport: small files

    page.goto("/search/?q=ca+phe")
    seen("search")
    page.goto("/catalogue/?stars=5")
    assert page.locator(".product_pod").count() >= 1
    seen("filter")
    page.goto(product_url(page))
    picker = page.locator("#add_to_basket_form [data-qty-picker]")
    picker.locator("[data-qty-step='1']").click()
    picker.locator("[data-qty-step='1']").click()
    picker.locator("[data-qty-step='-1']").click()
    assert page.input_value("#add_to_basket_form input[name=quantity]") == "2"
    assert picker.locator("button").first.bounding_box()["height"] >= 44  # a thumb's target
    seen("product")
    with page.expect_navigation():
        page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto("/basket/")
    assert "Phí giao hàng dự kiến" in page.locator("#basket_totals").inner_text()
    seen("basket")

    def checkout(payment: str) -> list[str]:
        screens = []
        page.goto("/checkout/")
        screens.append(urlsplit(page.url).path)
        seen(f"checkout-1-{payment}", shot=payment == "cod")
        page.fill("#id_full_name", "Nguyễn Thu Hà")
        page.fill("#id_phone_number", "0912 345 678")  # no e-mail
        page.select_option("#id_province", "14")
        page.locator("#id_ward option:nth-child(2)").wait_for(state="attached")
        page.select_option("#id_ward", index=1)
        page.fill("#id_line1", "12 Tô Hiệu")
        with page.expect_navigation():
            page.click("#new_shipping_address button[type=submit]")
        screens.append(urlsplit(page.url).path)
        page.locator(f"label[for=id_method_{0 if payment == 'cod' else 1}]").click()
        seen(f"checkout-2-{payment}", shot=payment == "cod")
        with page.expect_navigation():
            page.click("#choose-payment")
        screens.append(urlsplit(page.url).path)
        seen(f"checkout-3-{payment}", shot=payment == "cod")
        with page.expect_navigation():
            page.click("#place-order")
        assert urlsplit(page.url).path == "/checkout/thank-you/"
        return screens

    assert checkout("cod") == list(CHECKOUT_SCREENS)
    assert "0912 345 678" in page.locator("main").inner_text()  # told by phone, no e-mail needed
    seen("thank-you-cod", shot=False)

    page.goto(product_url(page))
    with page.expect_navigation():
        page.locator("#add_to_basket_form button[type=submit]").click()
    assert checkout("vietqr") == list(CHECKOUT_SCREENS)
    note = page.locator("[data-transfer-note]").first.inner_text()
    copy = page.locator(".ocop-copy", has=page.locator(f"[data-copy='{note}']"))
    copy.locator("button").click()
    expect_copied = copy.locator("[data-copy-status]")
    expect_copied.filter(has_text="Đã chép").wait_for()
    copy.locator("button").scroll_into_view_if_needed()
    seen("vietqr")

    assert {name: found for name, found in report.items() if found} == {}
    assert errors == []
    assert all((SCREENSHOTS / f"shopper-{name}.png").stat().st_size < 400_000 for name in
               ("search", "filter", "product", "basket", "checkout-1-cod", "checkout-2-cod", "checkout-3-cod", "vietqr"))

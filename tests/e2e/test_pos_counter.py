"""The showroom counter in Chromium: a cashier signs in, opens a shift, scans two products, takes
cash and gives change, prints the receipt and closes the shift with the right expected cash."""
import re

import pytest

pytestmark = pytest.mark.browser

# The Trung tâm Sơn La counter: the pick-up walk (test_pickup.py) works at Mộc Châu and leaves its shift open.
CASHIER = ("thungan.to-hieu@ocop.demo", "ocop-cashier-2026")  # printed by load_demo (demo/pos.py)
NOTES = (500000, 200000, 100000, 50000, 20000, 10000, 5000, 2000, 1000)


def dong(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


def test_a_cashier_sells_two_products_for_cash_and_closes_the_shift(new_page, artifacts):
    page = new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/accounts/login/?next=/pos/")
    page.fill("#id_login-username", CASHIER[0])
    page.fill("#id_login-password", CASHIER[1])
    page.click("button[name=login_submit]")

    page.wait_for_url("**/pos/")
    page.fill("#opening_float", "500000")
    page.click("#open-shift")

    page.goto("/pos/shelf/")  # the barcodes on this showroom's shelf
    codes = page.locator("table.report td:nth-child(2)").all_inner_texts()
    first, second = [c.strip() for c in codes if c.strip()][:2]

    page.goto("/pos/")
    scan = page.locator("#scan")
    for code in (first, second):
        scan.fill("")
        page.keyboard.type(code)  # a scanner types the code, then Enter
        page.keyboard.press("Enter")
        page.wait_for_function("(code) => document.getElementById('scan').value === ''", arg=code)
    page.wait_for_function("() => document.querySelectorAll('#lines tr').length === 2")
    total = dong(page.inner_text("#total"))
    assert total > 0
    page.screenshot(path=str(artifacts / "pos-counter.png"), full_page=True)

    tendered = 0
    while tendered <= total:  # quick buttons for the notes the customer hands over
        page.click("[data-note='500000']")
        tendered += 500000
    change = tendered - total
    assert dong(page.inner_text("#change")) == change
    page.click("#complete")
    page.wait_for_selector("#done:not([hidden])")
    assert f"{change:,}".replace(",", ".") + " ₫" in page.inner_text("#done-text")

    page.goto(page.get_attribute("#receipt-link", "href"))
    number = page.inner_text("#receipt-number")
    assert dong(page.inner_text("#receipt-total")) == total
    assert dong(page.inner_text("#receipt-change")) == change
    assert page.locator(".qr svg").count() == 1
    page.screenshot(path=str(artifacts / "pos-receipt.png"), full_page=True)

    expected = 500000 + total  # the float plus what the sale left in the drawer
    page.goto("/pos/shift/close/")
    left = expected
    for note in NOTES:
        if left >= note:
            page.fill(f"#n{note}", str(left // note))
            left %= note
    page.click("#close-shift")
    page.wait_for_selector("#z-expected")
    assert dong(page.inner_text("#z-expected")) == expected
    assert dong(page.inner_text("#z-counted")) == expected
    assert page.inner_text("#z-difference").strip() == "0 ₫"
    assert page.inner_text("#z-sales").strip() == "1"
    assert number
    assert errors == []

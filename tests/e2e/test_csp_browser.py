"""The shop works under its Content Security Policy in a real browser: every page below loads with
no violation reported (securitypolicyviolation events and console errors), and its scripts run:
the search box suggests, jQuery's onbodyload ran (Oscar's dashboard JS), the counter scans."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

WATCH = """() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
}"""


def watched(new_page):
    page = new_page()
    page.add_init_script(WATCH)  # before any script of the page runs
    problems = []
    page.on("console", lambda msg: msg.type == "error" and "Content Security Policy" in msg.text
            and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    return page, problems


def visit(page, problems, url):
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers.get("content-security-policy") or ""
    assert "script-src 'self'" in policy and "unsafe" not in policy.split("script-src")[1].split(";")[0], url
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__csp")
    assert not violations and not problems, (url, violations, problems)


def sign_in(page, email, password, next_url="/"):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_login-username", email)
    page.fill("#id_login-password", password)
    page.click("button[name=login_submit]")
    page.wait_for_load_state("load")


def test_storefront_basket_and_checkout_run_their_scripts_with_no_violation(new_page):
    page, problems = watched(new_page)
    visit(page, problems, "/")
    # the search box's suggestions (static/ocop/ocop-find.js) fetch and show results
    page.fill("#id_q", "ca phe")
    page.wait_for_selector(".ocop-suggest__option", timeout=10000)
    visit(page, problems, "/catalogue/")
    product_url = page.locator("article.product_pod a").first.get_attribute("href")
    visit(page, problems, product_url)
    assert page.locator('script[type="application/ld+json"]').count() == 1
    page.locator("#add_to_basket_form button[type=submit], form[action*='/basket/add/'] button").first.click()
    page.wait_for_load_state("load")
    visit(page, problems, "/basket/")
    # base.html's onbodyload (the nonce'd inline script) ran: Oscar's basket JS is initialised
    assert page.evaluate("typeof window.oscar === 'object' && typeof jQuery === 'function'")
    visit(page, problems, "/checkout/")
    page.wait_for_load_state("load")
    assert not page.evaluate("window.__csp") and not problems


def test_dashboard_index_and_a_form_as_staff_with_no_violation(new_page):
    page, problems = watched(new_page)
    sign_in(page, "admin@ocop.demo", "ocop-admin-2026", "/dashboard/")
    visit(page, problems, "/dashboard/")
    visit(page, problems, "/dashboard/catalogue/")  # Oscar's product list
    hrefs = page.eval_on_selector_all("a[href*='/dashboard/catalogue/products/']", "els => els.map(e => e.getAttribute('href'))")
    href = next(m.group(0) for h in hrefs if (m := re.search(r"/dashboard/catalogue/products/\d+/", h)))
    visit(page, problems, href)  # the product form
    # the dashboard's onbodyload (nonce'd inline script) ran oscar.dashboard.init: TinyMCE is set up
    page.wait_for_function("() => window.tinymce && tinymce.get().length > 0", timeout=15000)
    assert page.locator(".image-input button").count() >= 1
    assert not page.evaluate("window.__csp") and not problems, (page.evaluate("window.__csp"), problems)


def test_producer_portal_with_no_violation(new_page):
    page, problems = watched(new_page)
    sign_in(page, "mocchau.tea@ocop.demo", "ocop-producer-2026", "/dashboard/producer/")
    visit(page, problems, "/dashboard/producer/")
    visit(page, problems, "/dashboard/producer/stock/import/")


def test_pos_counter_scans_under_the_policy(new_page):
    page, problems = watched(new_page)
    sign_in(page, "quanly.ta-xua@ocop.demo", "ocop-manager-2026", "/pos/")
    if page.locator("#opening_float").count():
        page.fill("#opening_float", "500000")
        page.click("#open-shift")
        page.wait_for_url("**/pos/")
    visit(page, problems, "/pos/shelf/")
    code = [c.strip() for c in page.locator("table.report td:nth-child(2)").all_inner_texts() if c.strip()][0]
    visit(page, problems, "/pos/")
    page.locator("#scan").fill("")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#lines tr').length === 1", timeout=10000)
    visit(page, problems, "/pos/shift/close/")
    page.fill("[data-note='500000']", "2")  # static/pos/shift-close.js adds up the count
    page.wait_for_function("() => document.getElementById('counted').textContent.startsWith('1.000.000')")
    assert not page.evaluate("window.__csp") and not problems

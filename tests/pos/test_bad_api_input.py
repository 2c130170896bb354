"""The counter's JSON API answers malformed requests with a 400 and a message the cashier can read,
never a 500 (found by the bad-input crawl, tests/shop/test_bad_input_crawl.py)."""
import json

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNREADABLE = "Không đọc được yêu cầu."


def test_a_form_encoded_body_is_refused_plainly(counter):
    # A multipart body is read by the CSRF check before the view: the view cannot read it again.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(counter.cashier)
    browser.get(reverse("pos:counter"))
    response = browser.post(reverse("pos:api-scan"), {"code": counter.tea.upc, "quantity": "1"},
                            HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)
    assert response.status_code == 400
    assert response.json()["error"] == UNREADABLE
    assert counter.cart()["lines"] == []


@pytest.mark.parametrize("amount", [{"a": 1}, [1, 2], True])
def test_an_amount_that_is_not_a_number_is_refused(counter, amount):
    counter.scan(counter.tea.upc)
    response = counter.api("discount", {"amount": amount, "reason": "khách quen"})
    assert response.status_code == 400
    assert response.json()["error"] == "Nhập số tiền là số đồng nguyên."
    assert counter.cart()["discount"] == 0


@pytest.mark.parametrize("field", ["basket", "version"])
def test_a_number_beyond_what_the_database_holds_is_refused(counter, field):
    counter.scan(counter.tea.upc)
    cart = counter.cart()
    body = {"basket": cart["basket"], "version": cart["version"], "cash_tendered": 150000, field: 10**30}
    response = counter.client.post(reverse("pos:api-complete"), json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "Nhập một số nguyên."
    assert len(counter.cart()["lines"]) == 1


def test_a_huge_quantity_is_refused(counter):
    response = counter.scan(counter.tea.upc, quantity=10**30)
    assert response.status_code == 400
    assert counter.cart()["lines"] == []


def test_a_huge_amount_is_refused(counter):
    counter.scan(counter.tea.upc)
    cart = counter.cart()
    response = counter.api("complete", {"basket": cart["basket"], "version": cart["version"],
                                        "cash_tendered": 10**30})
    assert response.status_code == 400
    assert len(counter.cart()["lines"]) == 1

"""Order statuses are stored in English (shop/order/statuses.py); the office reads them in
Vietnamese on the order list, its filters and the change-status select (issue 19), while the forms
still send the stored word."""
import html

import pytest
from django.test import Client
from django.utils import translation
from oscar.core.loading import get_model

from tests.checkout.payment_methods.checkout import checkout

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


def test_the_order_list_shows_statuses_in_vietnamese_and_sends_the_stored_word(admin_user):
    _, order = checkout(Client(), "vietqr")
    office = Client()
    office.force_login(admin_user)
    page = html.unescape(office.get("/dashboard/orders/").content.decode())
    with translation.override("vi"):
        shown = translation.gettext(order.status)
    assert shown != order.status
    assert f"<td>{shown}</td>" in page and f"<td>{order.status}</td>" not in page
    for status in Order.all_statuses():
        with translation.override("vi"):
            label = translation.gettext(status)
        assert f'<option value="{status}">{label}</option>' in page, status  # filter and change-status selects
    found = office.get("/dashboard/orders/", {"status": order.status})
    assert order in found.context["orders"]

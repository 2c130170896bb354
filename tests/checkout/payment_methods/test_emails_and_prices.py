"""The order confirmation e-mail (Vietnamese, sent after commit) and a price changed mid-checkout."""
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from shop.payment.vietqr import transfer_details

from .checkout import GUEST_EMAIL, checkout, choose_payment, place_order, start_guest_checkout
from .test_vietqr import parse_tlv

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")


def test_no_email_leaves_before_the_order_is_committed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        checkout(client, "cod")

    assert len(callbacks) >= 1
    assert not [m for m in mail.outbox if GUEST_EMAIL in m.to]


def test_vietqr_confirmation_email_in_vietnamese_gives_the_transfer_details(client, settings,
                                                                             django_capture_on_commit_callbacks):
    settings.VIETQR_ACCOUNT_NUMBER = "0123456789"
    with django_capture_on_commit_callbacks(execute=True):
        _, order = checkout(client, "vietqr")

    message = [m for m in mail.outbox if m.to == [GUEST_EMAIL]][-1]
    text, html = message.body, message.alternatives[0][0]
    assert "Xin chào" in text or "Chào" in text  # Vietnamese, not Oscar's English
    assert "Chuyển khoản ngân hàng (VietQR)" in text
    assert "Nội dung chuyển khoản: " + order.number in text
    assert "0123456789" in text and "OCOP SON LA DEMO" in text
    total = f"{int(order.total_incl_tax):,}".replace(",", ".")
    assert total in text
    assert 'data-payment-method="vietqr"' in html and order.number in html
    assert "OCOP 5★" in text  # the storefront's badges are still there


def test_cod_confirmation_email_names_the_method_and_the_inspection_choice(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "cod", cod_inspection=True)

    text = [m for m in mail.outbox if m.to == [GUEST_EMAIL]][-1].body
    assert "Thanh toán khi nhận hàng" in text
    assert "cho xem hàng" in text
    assert "Nội dung chuyển khoản" not in text


def test_a_price_changed_during_checkout_is_warned_and_the_order_charges_the_new_price(client):
    start_guest_checkout(client, lines=(("CF-001", 1),))
    choose_payment(client, "vietqr")
    record = StockRecord.objects.get(partner_sku="CF-001")
    old_price = record.price
    record.price = old_price + Decimal(20000)
    record.save()

    basket_page = client.get(reverse("basket:summary"))
    response = place_order(client)

    warnings = [str(m) for m in basket_page.context["messages"]] + basket_page.context.get("basket_warnings", [])
    assert any("tăng" in w or "increased" in w for w in warnings), warnings
    assert response.status_code == 302
    order = get_model("order", "Order").objects.order_by("-pk").first()
    assert order.lines.get().unit_price_incl_tax == old_price + 20000
    assert parse_tlv(transfer_details(order).payload)["54"] == str(int(order.total_incl_tax))

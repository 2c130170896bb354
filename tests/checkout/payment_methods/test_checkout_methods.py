"""Choosing how to pay through the real checkout pages, as a guest."""
import sys
import types
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from oscar.core.loading import get_model

from shop.order import statuses
from shop.payment.vietqr import transfer_details

from .checkout import checkout, choose_payment, place_order, start_guest_checkout

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")


def stripe_helper(start_session):
    """shop.payment.stripe_checkout with `start_session` replaced (the stripe part tests the real one)."""
    fake = types.ModuleType("shop.payment.stripe_checkout")
    fake.start_session = start_session
    return mock.patch.dict(sys.modules, {"shop.payment.stripe_checkout": fake})


def test_payment_page_offers_cod_by_default_and_vietqr_but_no_card_without_stripe(client, settings):
    settings.STRIPE_ENABLED = False
    start_guest_checkout(client)

    page = client.get(reverse("checkout:payment-method"))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="cod"' in html and 'value="vietqr"' in html
    assert 'value="card"' not in html
    assert 'value="cod" id="id_method_0" class="custom-control-input" checked' in html
    assert "cho xem hàng" in html


def test_cod_order_is_processing_with_stock_allocated_and_the_inspection_choice_kept(client, django_capture_on_commit_callbacks):
    before = StockRecord.objects.get(partner_sku="CF-001").num_allocated or 0

    with django_capture_on_commit_callbacks(execute=True):
        response, order = checkout(client, "cod", cod_inspection=True)

    assert response.status_code == 302 and response["Location"] == reverse("checkout:thank-you")
    assert order.status == statuses.PROCESSING
    assert order.payment_choice.method == "cod" and order.payment_choice.cod_inspection is True
    assert StockRecord.objects.get(partner_sku="CF-001").num_allocated == before + 1
    thanks = client.get(reverse("checkout:thank-you")).content.decode()
    assert 'data-payment-method="cod"' in thanks and 'data-cod-inspection="yes"' in thanks
    assert "cho xem hàng" in thanks


def test_cod_without_inspection_is_recorded_as_no_inspection(client):
    _, order = checkout(client, "cod", cod_inspection=False)

    assert order.payment_choice.cod_inspection is False
    thanks = client.get(reverse("checkout:thank-you")).content.decode()
    assert 'data-cod-inspection="no"' in thanks


def test_vietqr_order_awaits_transfer_and_thank_you_shows_qr_and_account(client, settings):
    settings.VIETQR_ACCOUNT_NUMBER = "0123456789"
    settings.VIETQR_ACCOUNT_NAME = "HTX OCOP SON LA"

    response, order = checkout(client, "vietqr")

    assert order.status == statuses.AWAITING_TRANSFER
    assert order.payment_choice.method == "vietqr" and order.payment_choice.cod_inspection is False
    thanks = client.get(reverse("checkout:thank-you")).content.decode()
    assert transfer_details(order).svg() in thanks  # the QR of this order's payload, drawn inline
    assert "0123456789" in thanks and "HTX OCOP SON LA" in thanks
    assert f'data-transfer-note="{order.number}"' in thanks
    assert f'data-amount="{int(order.total_incl_tax)}"' in thanks
    assert "Chờ chuyển khoản" in thanks or "Awaiting transfer" in thanks


def test_unknown_method_code_gets_a_clear_message_and_no_order(client):
    start_guest_checkout(client)

    response = choose_payment(client, "bitcoin")

    assert response.status_code == 200
    assert "Please choose one of the payment methods offered." in response.content.decode() or \
        "Vui lòng chọn" in response.content.decode()
    assert client.get(reverse("checkout:preview")).status_code == 302  # no method yet: back to the choice


@override_settings(STRIPE_ENABLED=False)
def test_card_is_refused_when_stripe_is_not_configured(client):
    start_guest_checkout(client)

    response = choose_payment(client, "card")

    assert response.status_code == 200  # the form refuses an option it did not offer


@override_settings(STRIPE_ENABLED=True)
def test_card_is_offered_with_stripe_and_hands_the_pending_order_to_stripe(client):
    start_guest_checkout(client)
    assert 'value="card"' in client.get(reverse("checkout:payment-method")).content.decode()
    choose_payment(client, "card")

    start = mock.Mock(return_value="https://checkout.stripe.test/c/pay/cs_test_1")
    with stripe_helper(start):
        response = place_order(client)

    assert response.status_code == 302 and response["Location"] == "https://checkout.stripe.test/c/pay/cs_test_1"
    order = start.call_args.kwargs["order"]
    order.refresh_from_db()
    assert order.status == statuses.PENDING_PAYMENT and order.payment_choice.method == "card"
    assert start.call_args.kwargs["request"].path == reverse("checkout:preview")


@override_settings(STRIPE_ENABLED=True)
def test_card_payment_that_cannot_start_cancels_the_order_and_gives_the_basket_back(client):
    start_guest_checkout(client)
    choose_payment(client, "card")
    before = StockRecord.objects.get(partner_sku="CF-001").num_allocated or 0

    with stripe_helper(mock.Mock(side_effect=ConnectionError("stripe down"))):
        response = place_order(client)

    assert response.status_code == 302 and response["Location"] == reverse("basket:summary")
    order = get_model("order", "Order").objects.order_by("-pk").first()
    assert order.status == statuses.CANCELLED
    assert StockRecord.objects.get(partner_sku="CF-001").num_allocated == before  # allocated, then given back
    basket = client.get(reverse("basket:summary"))
    assert basket.context["basket"].num_items == 2
    assert order.number in basket.content.decode()  # the message names the cancelled order

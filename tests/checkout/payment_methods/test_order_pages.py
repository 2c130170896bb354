"""The account's order page shows how the order is paid, and a VietQR order still owed shows how to pay."""
import pytest
from django.contrib.auth import get_user_model

from shop.order import services, statuses
from shop.payment.services import record_payment_choice
from shop.payment.vietqr import transfer_details
from tests.catalog_ext.storefront.test_orders import place_order

pytestmark = pytest.mark.django_db


def customer_order(client, method, status, cod_inspection=False):
    user = get_user_model().objects.get(email="khach@ocop.demo")
    client.force_login(user)
    order = place_order(user=user)
    order.status = status
    order.save(update_fields=["status"])
    record_payment_choice(order=order, method=method, cod_inspection=cod_inspection)
    return order


def test_account_page_of_a_vietqr_order_awaiting_transfer_shows_the_qr_and_the_note(client):
    order = customer_order(client, "vietqr", statuses.AWAITING_TRANSFER)

    html = client.get(f"/accounts/orders/{order.number}/").content.decode()

    assert "Chờ chuyển khoản" in html
    assert transfer_details(order).svg() in html  # the QR of this order's payload, drawn inline
    assert f'data-transfer-note="{order.number}"' in html
    assert "Chuyển khoản ngân hàng (VietQR)" in html


def test_once_paid_the_account_page_no_longer_asks_for_a_transfer(client):
    order = customer_order(client, "vietqr", statuses.AWAITING_TRANSFER)
    services.record_payment(order=order, amount=order.total_incl_tax, reference="FT1", source_type="VietQR")

    html = client.get(f"/accounts/orders/{order.number}/").content.decode()

    assert "Đang xử lý" in html
    assert 'class="ocop-vietqr' not in html and "data-transfer-note" not in html
    assert "Chuyển khoản ngân hàng (VietQR)" in html


def test_account_page_of_a_cod_order_shows_the_inspection_choice(client):
    order = customer_order(client, "cod", statuses.PROCESSING, cod_inspection=True)

    html = client.get(f"/accounts/orders/{order.number}/").content.decode()

    assert "Thanh toán khi nhận hàng (COD)" in html and 'data-cod-inspection="yes"' in html

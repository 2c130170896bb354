"""OCOP office staff record a bank transfer or a COD delivery on the dashboard's order page."""
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from shop.order import services, statuses
from shop.payment.services import record_payment_choice
from tests.catalog_ext.storefront.test_orders import place_order

pytestmark = pytest.mark.django_db

PaymentEvent = get_model("order", "PaymentEvent")


def order_paid_by(method, status, cod_inspection=False):
    order = place_order()  # CF-001 (HTX Cà phê Chiềng Mai) and DF-005
    order.status = status
    order.save(update_fields=["status"])
    record_payment_choice(order=order, method=method, cod_inspection=cod_inspection)
    return order


def logged_in(client, email):
    client.force_login(get_user_model().objects.get(email=email))
    return client


def page(client, order):
    return reverse("dashboard:order-detail", kwargs={"number": order.number})


def test_staff_see_the_transfer_action_and_record_it_once(client):
    order = order_paid_by("vietqr", statuses.AWAITING_TRANSFER)
    staff = logged_in(client, "admin@ocop.demo")
    html = staff.get(page(staff, order)).content.decode()
    assert 'id="record-transfer-form"' in html and 'id="record-cod-form"' not in html
    assert 'data-payment-method="vietqr"' in html

    form = {"order_action": "record_transfer", "amount": str(int(order.total_incl_tax)), "reference": "FT2611-0042"}
    first = staff.post(page(staff, order), form, follow=True)
    second = staff.post(page(staff, order), form, follow=True)

    order.refresh_from_db()
    assert order.status == statuses.PROCESSING and services.is_paid(order)
    assert PaymentEvent.objects.filter(order=order).count() == 1
    assert order.sources.get().source_type.name == "VietQR"
    assert [str(m) for m in first.context["messages"]][-1].startswith(("Transfer of", "Đã ghi nhận"))
    assert "FT2611-0042" in [str(m) for m in second.context["messages"]][-1]
    assert 'id="record-transfer-form"' not in second.content.decode()  # paid: nothing left to record


def test_a_part_transfer_keeps_the_order_waiting_and_says_what_is_owed(client):
    order = order_paid_by("vietqr", statuses.AWAITING_TRANSFER)
    staff = logged_in(client, "admin@ocop.demo")

    response = staff.post(page(staff, order), {"order_action": "record_transfer", "amount": "1000",
                                               "reference": "FT-PART"}, follow=True)

    order.refresh_from_db()
    assert order.status == statuses.AWAITING_TRANSFER
    assert services.amount_paid(order) == Decimal(1000)
    owed = order.total_incl_tax - 1000
    assert f"{int(owed):,}".replace(",", ".") in [str(m) for m in response.context["messages"]][-1]


def test_staff_record_cod_collected_and_the_order_is_delivered_once(client):
    order = order_paid_by("cod", statuses.PROCESSING, cod_inspection=True)
    staff = logged_in(client, "admin@ocop.demo")
    html = staff.get(page(staff, order)).content.decode()
    assert 'id="record-cod-form"' in html and 'id="record-transfer-form"' not in html
    assert 'data-cod-inspection="yes"' in html

    form = {"order_action": "record_cod_collected", "amount": str(int(order.total_incl_tax))}
    staff.post(page(staff, order), form)
    again = staff.post(page(staff, order), form, follow=True)

    order.refresh_from_db()
    assert order.status == statuses.DELIVERED and services.is_paid(order)
    assert PaymentEvent.objects.filter(order=order).count() == 1
    assert order.sources.get().source_type.name == "COD"
    assert again.status_code == 200 and 'id="record-cod-form"' not in again.content.decode()


def test_a_producer_sees_the_order_but_may_not_record_money(client):
    order = order_paid_by("vietqr", statuses.AWAITING_TRANSFER)
    producer = logged_in(client, "htx.chiengmai@ocop.demo")
    # Oscar's order page sends a producer to their own page of the order (producer_portal)
    html = producer.get(page(producer, order), follow=True).content.decode()
    assert 'data-payment-method="vietqr"' in html and 'id="record-transfer-form"' not in html

    producer.post(page(producer, order), {"order_action": "record_transfer", "amount": "999999999",
                                          "reference": "FAKE"})
    producer.post(page(producer, order), {"order_action": "record_cod_collected", "amount": "1"})

    order.refresh_from_db()
    assert order.status == statuses.AWAITING_TRANSFER
    assert not PaymentEvent.objects.filter(order=order).exists()


def test_a_customer_cannot_reach_the_dashboard_action(client):
    order = order_paid_by("cod", statuses.PROCESSING)
    customer = logged_in(client, "khach@ocop.demo")

    response = customer.post(page(customer, order), {"order_action": "record_cod_collected", "amount": "1"})

    assert response.status_code in (302, 403)
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING and not PaymentEvent.objects.filter(order=order).exists()


@pytest.mark.parametrize("form", [
    {"order_action": "record_transfer", "amount": "abc", "reference": "X"},
    {"order_action": "record_transfer", "amount": "-5", "reference": "X"},
    {"order_action": "record_transfer", "amount": "100", "reference": ""},
    {"order_action": "record_cod_collected", "amount": "1"},  # not a COD order
])
def test_bad_staff_input_gets_a_message_not_a_500(client, form):
    order = order_paid_by("vietqr", statuses.AWAITING_TRANSFER)
    staff = logged_in(client, "admin@ocop.demo")

    response = staff.post(page(staff, order), form, follow=True)

    assert response.status_code == 200
    assert any(m.level_tag == "danger" or m.level_tag == "error" for m in response.context["messages"])
    assert not PaymentEvent.objects.filter(order=order).exists()


def test_the_prefilled_amount_submits_as_it_is_and_a_statement_style_amount_is_accepted(client):
    order = order_paid_by("vietqr", statuses.AWAITING_TRANSFER)
    staff = logged_in(client, "admin@ocop.demo")
    form = staff.get(page(staff, order)).content.decode().split('id="record-transfer-form"')[1].split("</form>")[0]
    prefilled = re.search(r'name="amount" value="([^"]*)"', form).group(1)
    assert prefilled == str(int(order.total_incl_tax))

    staff.post(page(staff, order), {"order_action": "record_transfer", "amount": f"{prefilled}.00",
                                    "reference": "FT-STATEMENT"})

    order.refresh_from_db()
    assert order.status == statuses.PROCESSING

"""The counter's VietQR learns by itself that the transfer arrived (the cashier no longer ticks it on
the customer's word), and the office resolves what could not be matched."""
import pytest
from django.urls import reverse

from banking.models import BankTransfer
from pos.models import PosSale
from shop.order import services, statuses
from tests.pos.conftest import Counter

from . import fake_sepay
from .conftest import transfer_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter(db, client):
    return Counter(client)


def test_counter_vietqr_is_confirmed_by_the_bank_not_by_the_tick(counter, client):
    counter.scan(counter.tea.upc, quantity=2)  # 300.000 ₫
    note = client.get(reverse("pos:api-vietqr"), {"amount": 300000}).json()
    status = reverse("pos:api-vietqr-status")

    waiting = client.get(status, {"amount": 300000}).json()
    ticked_only = counter.complete(vietqr_amount=300000, vietqr_confirmed=True)  # the customer's word
    assert (waiting["automatic"], waiting["received"]) == (True, False)
    assert ticked_only.status_code == 400
    assert not PosSale.objects.filter(showroom=counter.showroom).exists()

    fake_sepay.send(client, fake_sepay.transaction(content=f"MBVCB.123456789.{note['note']}.KHACH", amount=300000))
    arrived = client.get(status, {"amount": 300000}).json()
    done = counter.complete(vietqr_amount=300000)  # no tick needed

    assert (arrived["received"], arrived["message"]) == (True, "Đã nhận thanh toán")
    assert done.status_code == 200
    sale = PosSale.objects.get(order__number=done.json()["sale"]["number"])
    transfer = BankTransfer.objects.get()
    assert (transfer.status, transfer.order) == (BankTransfer.MATCHED, sale.order)


def test_counter_keeps_the_tick_when_no_bank_service_is_configured(counter, client, sepay):
    sepay.SEPAY_API_KEY = ""
    counter.scan(counter.tea.upc)
    assert client.get(reverse("pos:api-vietqr-status"), {"amount": 150000}).json()["automatic"] is False
    assert counter.complete(vietqr_amount=150000, vietqr_confirmed=True).status_code == 200


@pytest.fixture
def office(client, django_user_model):
    user = django_user_model.objects.get(email="vanphong@ocop.demo")
    client.force_login(user)
    return client


def test_office_lists_unmatched_transfers_and_applies_one_to_an_order(office):
    order = transfer_order()
    fake_sepay.send(office, fake_sepay.transaction(content=f"DH {order.number}", amount=int(order.total_incl_tax) - 5000))
    fake_sepay.send(office, fake_sepay.transaction(content="tien hang", amount=5000))
    page = office.get(reverse("banking-office:unmatched"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thiếu so với tổng đơn hàng" in html and "Nội dung không có mã đơn hàng" in html
    short, unknown = BankTransfer.objects.order_by("pk")

    office.post(reverse("banking-office:resolve", kwargs={"pk": short.pk}),
                {"order_number": order.number, "note": "Khách chuyển thiếu, đã gọi"})
    office.post(reverse("banking-office:resolve", kwargs={"pk": unknown.pk}),
                {"order_number": order.number, "note": "Phần còn lại"})
    again = office.post(reverse("banking-office:resolve", kwargs={"pk": unknown.pk}),
                        {"order_number": order.number, "note": "lần hai"})

    order.refresh_from_db()
    assert again.status_code == 302
    assert order.status == statuses.PROCESSING
    assert services.amount_paid(order) == order.total_incl_tax
    assert order.payment_events.count() == 2
    assert set(BankTransfer.objects.values_list("status", flat=True)) == {BankTransfer.RESOLVED}
    assert "Không có giao dịch cần xử lý" in office.get(reverse("banking-office:unmatched")).content.decode()


def test_resolving_needs_a_note_and_a_real_order(office):
    fake_sepay.send(office, fake_sepay.transaction(content="abc", amount=5000))
    transfer = BankTransfer.objects.get()
    office.post(reverse("banking-office:resolve", kwargs={"pk": transfer.pk}), {"note": ""})
    office.post(reverse("banking-office:resolve", kwargs={"pk": transfer.pk}), {"order_number": "0", "note": "x"})
    transfer.refresh_from_db()
    assert transfer.status == BankTransfer.UNMATCHED


def test_shoppers_and_producers_cannot_see_the_office_page(client, django_user_model):
    for email in ("khach@ocop.demo", "htx.chiengmai@ocop.demo"):
        client.force_login(django_user_model.objects.get(email=email))
        response = client.get(reverse("banking-office:unmatched"))
        assert response.status_code == 302 and "login" in response["Location"]

"""SePay's webhook: a transfer whose note names an order and whose amount is exactly its total pays
it by itself; everything else is kept for the office; nothing is applied twice or dropped."""
import json

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from banking.models import BankTransfer
from shop.order import services, statuses

from . import fake_sepay
from .conftest import transfer_order

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


def total(order) -> int:
    return int(order.total_incl_tax)


def state(order):
    order.refresh_from_db()
    return order.status, order.payment_events.count(), services.amount_paid(order)


@pytest.mark.parametrize("note", [
    "{n}",
    "MBVCB.3278907687.{n}.NGUYEN THU HA CHUYEN TIEN",
    "CT DEN:0123456789 IBFT {n} ",
    "DH{n}",
    "{a} {b}",  # the bank put a space inside the number
    "thanh toan don hang  {n}\n",
])
def test_exact_amount_with_a_mangled_note_pays_the_order(client, note):
    order = transfer_order()
    n = str(order.number)
    content = note.format(n=n, a=n[:3], b=n[3:])

    response = fake_sepay.send(client, fake_sepay.transaction(content=content, amount=total(order)))

    assert response.status_code == 200
    assert response.json()["success"] is True
    status, payments, paid = state(order)
    assert (status, payments, paid) == (statuses.PROCESSING, 1, order.total_incl_tax)
    transfer = BankTransfer.objects.get()
    assert (transfer.status, transfer.order, transfer.reason) == (BankTransfer.MATCHED, order, "")
    assert order.sources.get().source_type.name == "VietQR"


def test_sepay_retries_seven_times_and_the_money_is_recorded_once(client):
    order = transfer_order()
    payload = fake_sepay.transaction(content=str(order.number), amount=total(order))

    answers = [fake_sepay.send(client, payload) for _ in range(8)]

    assert [r.status_code for r in answers] == [200] * 8
    assert [r.json()["replay"] for r in answers] == [False] + [True] * 7
    assert state(order) == (statuses.PROCESSING, 1, order.total_incl_tax)
    assert BankTransfer.objects.count() == 1


@pytest.mark.parametrize("headers", [
    {}, fake_sepay.apikey_headers("someone-elses-key"), {"HTTP_AUTHORIZATION": f"Bearer {fake_sepay.API_KEY}"},
    {"HTTP_AUTHORIZATION": "Apikey"},
])
def test_forged_notifications_are_refused_and_change_nothing(client, headers):
    order = transfer_order()
    before = state(order)

    response = fake_sepay.send(client, fake_sepay.transaction(content=str(order.number), amount=total(order)),
                               headers=headers)

    assert response.status_code == 401
    assert state(order) == before
    assert BankTransfer.objects.count() == 0


def test_hmac_signature_as_configured(client, sepay):
    sepay.SEPAY_WEBHOOK_AUTH = "hmac"
    order = transfer_order()
    body = json.dumps(fake_sepay.transaction(content=str(order.number), amount=total(order)))

    tampered = fake_sepay.send(client, body.replace(str(total(order)), "1"), headers=fake_sepay.hmac_headers(body))
    stale = fake_sepay.send(client, body, headers=fake_sepay.hmac_headers(body, timestamp=1_700_000_000))
    wrong = fake_sepay.send(client, body, headers=fake_sepay.hmac_headers(body, secret="not-ours"))
    key_only = fake_sepay.send(client, body)  # the API key is not accepted when HMAC is configured
    assert [r.status_code for r in (tampered, stale, wrong, key_only)] == [401] * 4
    assert BankTransfer.objects.count() == 0

    good = fake_sepay.send(client, body, headers=fake_sepay.hmac_headers(body))
    assert good.status_code == 200
    assert state(order)[0] == statuses.PROCESSING


def test_webhook_refuses_everything_while_not_configured(client, sepay):
    sepay.SEPAY_API_KEY = ""
    order = transfer_order()

    response = fake_sepay.send(client, fake_sepay.transaction(content=str(order.number), amount=total(order)))

    assert response.status_code == 401
    assert state(order)[0] == statuses.AWAITING_TRANSFER


@pytest.mark.parametrize("delta, reason", [(-1000, BankTransfer.UNDERPAID), (1000, BankTransfer.OVERPAID)])
def test_wrong_amount_goes_to_the_office_with_a_note_on_the_order(client, delta, reason):
    order = transfer_order()

    response = fake_sepay.send(client, fake_sepay.transaction(content=str(order.number), amount=total(order) + delta))

    assert response.status_code == 200
    assert state(order) == (statuses.AWAITING_TRANSFER, 0, 0)
    transfer = BankTransfer.objects.get()
    assert (transfer.status, transfer.reason, transfer.order) == (BankTransfer.UNMATCHED, reason, order)
    assert "Chuyển khoản chưa khớp" in order.notes.get().message  # the office reads Vietnamese


@pytest.mark.parametrize("content, reason", [
    ("chuyen tien an trua", BankTransfer.NO_ORDER_NUMBER),
    ("DH 999999999", BankTransfer.UNKNOWN_ORDER),
    ("", BankTransfer.NO_ORDER_NUMBER),
])
def test_notes_naming_no_order_are_kept_unmatched(client, content, reason):
    response = fake_sepay.send(client, fake_sepay.transaction(content=content, amount=100000))

    assert response.status_code == 200
    transfer = BankTransfer.objects.get()
    assert (transfer.status, transfer.reason, transfer.order) == (BankTransfer.UNMATCHED, reason, None)


def test_a_second_transfer_for_a_paid_order_and_one_for_a_cancelled_order_are_unmatched(client):
    paid = transfer_order()
    cancelled = transfer_order()
    services.cancel_order(order=cancelled, reason="test")
    fake_sepay.send(client, fake_sepay.transaction(content=str(paid.number), amount=total(paid)))

    again = fake_sepay.send(client, fake_sepay.transaction(content=str(paid.number), amount=total(paid)))
    late = fake_sepay.send(client, fake_sepay.transaction(content=str(cancelled.number), amount=total(cancelled)))

    assert (again.status_code, late.status_code) == (200, 200)
    assert state(paid) == (statuses.PROCESSING, 1, paid.total_incl_tax)
    assert state(cancelled) == (statuses.CANCELLED, 0, 0)
    reasons = set(BankTransfer.objects.filter(status=BankTransfer.UNMATCHED).values_list("reason", flat=True))
    assert reasons == {BankTransfer.ALREADY_PAID, BankTransfer.CANCELLED}


def test_a_cod_order_named_in_a_transfer_is_not_marked_paid(client):
    order = transfer_order(status=statuses.PROCESSING, method="cod")

    fake_sepay.send(client, fake_sepay.transaction(content=str(order.number), amount=total(order)))

    assert state(order) == (statuses.PROCESSING, 0, 0)
    assert BankTransfer.objects.get().reason == BankTransfer.NOT_A_TRANSFER_ORDER


@pytest.mark.parametrize("amount", ["370000", 370000.5, -5, None, True, {"v": 1}, 10 ** 20])
def test_an_amount_that_is_no_whole_number_is_kept_for_the_office(client, amount):
    order = transfer_order()

    response = fake_sepay.send(client, fake_sepay.transaction(content=str(order.number), amount=amount))

    assert response.status_code == 200
    assert state(order) == (statuses.AWAITING_TRANSFER, 0, 0)
    transfer = BankTransfer.objects.get()
    assert (transfer.status, transfer.reason, transfer.amount) == (BankTransfer.UNMATCHED, BankTransfer.BAD_AMOUNT,
                                                                   None)


def test_money_sent_to_another_account_is_not_taken_as_payment(client):
    order = transfer_order()

    fake_sepay.send(client, fake_sepay.transaction(content=str(order.number), amount=total(order), account="999888777"))

    assert state(order)[0] == statuses.AWAITING_TRANSFER
    assert BankTransfer.objects.get().reason == BankTransfer.OTHER_ACCOUNT


def test_money_out_is_recorded_and_ignored(client):
    order = transfer_order()

    fake_sepay.send(client, fake_sepay.transaction(content=str(order.number), amount=total(order), transfer_type="out"))

    assert state(order)[0] == statuses.AWAITING_TRANSFER
    assert BankTransfer.objects.get().status == BankTransfer.IGNORED


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "\"text\"", "{\"id\": 1", "\xff"])
def test_unreadable_bodies_get_400_and_write_nothing(client, body):
    response = fake_sepay.send(client, body)

    assert response.status_code == 400
    assert BankTransfer.objects.count() == 0


def test_a_notification_without_id_is_recorded_once_per_body(client):
    payload = fake_sepay.transaction(content="abc", amount=1000)
    del payload["id"]

    first, second = fake_sepay.send(client, payload), fake_sepay.send(client, payload)

    assert (first.json()["replay"], second.json()["replay"]) == (False, True)
    assert BankTransfer.objects.get().transaction_id.startswith("body-")


def test_get_is_not_allowed(client):
    assert client.get(fake_sepay.URL).status_code == 405


def test_shopper_page_polls_and_learns_the_transfer_arrived(client):
    order = transfer_order()
    url = reverse("banking:order-status", kwargs={"number": order.number}) + "?h=" + order.verification_hash()

    before = client.get(url).json()
    fake_sepay.send(client, fake_sepay.transaction(content=str(order.number), amount=total(order)))
    after = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").json()

    assert before["paid"] is False
    assert after["paid"] is True
    assert after["message"] == "Đã nhận thanh toán"


@pytest.mark.parametrize("query", ["", "?h=", "?h=wrong", "?h=" + "x" * 500])
def test_status_needs_the_order_hash(client, query):
    order = transfer_order()
    url = reverse("banking:order-status", kwargs={"number": order.number})
    assert client.get(url + query).status_code == 404
    assert client.get(reverse("banking:order-status", kwargs={"number": "999999999"}) + query).status_code == 404


def test_the_order_page_polls_while_awaiting_and_says_payment_received_once_paid(client):
    order = transfer_order()
    session = client.session
    session["checkout_order_id"] = order.pk  # the browser that placed it sees its thank-you page
    session.save()
    page = reverse("checkout:thank-you")

    waiting = client.get(page).content.decode()
    fake_sepay.send(client, fake_sepay.transaction(content=str(order.number), amount=total(order)))
    paid = client.get(page).content.decode()

    assert 'data-transfer-status-url="/payments/transfer/' in waiting and "transfer-status.js" in waiting
    assert '<p class="alert alert-success mb-0" data-paid hidden>' in waiting
    assert "data-transfer-status-url" not in paid
    assert '<p class="alert alert-success mb-0" data-paid><strong>Đã nhận thanh toán</strong></p>' in paid


def test_the_webhook_is_rate_limited_before_the_key_is_checked(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATELIMIT_WEBHOOK = "2/m"
    answers = [fake_sepay.send(client, fake_sepay.transaction(content="x", amount=1), headers={}) for _ in range(3)]
    cache.clear()
    assert [r.status_code for r in answers] == [401, 401, 429]
    assert answers[2]["Retry-After"]

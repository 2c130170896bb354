"""Zalo ZNS and SMS beside e-mail: who gets which channel, what the providers receive (local fakes of
their documented APIs), retries for temporary errors, failures recorded for staff, and a paid
message never sent twice for one event."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from notifications import delivery, events, services
from notifications.channels.errors import TemporaryError
from notifications.channels.sms import unaccented
from notifications.models import Channel, ContactPreference, Message, MessageStatus, ZaloToken
from notifications.recipients import phone_84

from .factories import basket_of, make_producer, make_product, order_from, place

Partner = get_model("partner", "Partner")
pytestmark = pytest.mark.django_db


@pytest.fixture
def honey(db):
    return make_product(make_producer("mat-ong-zns", "zns@matong.example"), title="Mật ong hoa ban", stock=100)


def rows(order, channel=None):
    qs = Message.objects.filter(order=order)
    return qs.filter(channel=channel) if channel else qs


def test_phone_numbers_are_read_in_the_84_form():
    assert phone_84("0912 345 678") == "84912345678"
    assert phone_84("+84 912.345.678") == "84912345678"
    assert phone_84("84387654321") == "84387654321"
    assert phone_84("024 3826 4321") == "" and phone_84("12345") == "" and phone_84(None) == ""


def test_a_guest_gets_the_confirmation_by_email_and_zalo_once(honey, fake_zalo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = order_from((honey, 2))  # the guest's delivery phone: +84912345678
        services.queue_customer_message(order=order, event=events.ORDER_PLACED)

    assert sorted(rows(order).values_list("channel", "recipient", "status")) == [
        ("email", "khach@example.vn", "sent"), ("zns", "84912345678", "sent")]
    [zalo] = fake_zalo.sent
    assert zalo["phone"] == "84912345678" and zalo["template_id"] == "300001"
    assert zalo["template_data"] == {"order_code": str(order.number), "customer_name": order.shipping_address.name,
                                     "total": f"{int(order.total_incl_tax):,}".replace(",", ".") + " ₫"}
    message = rows(order, Channel.ZNS).get()
    assert zalo["tracking_id"] == f"ocop-msg-{message.pk}" and message.provider_ref == zalo["msg_id"]
    assert fake_zalo.requests[0].headers["access_token"] == "at-first"
    assert [m.subject for m in mail.outbox if m.to == ["khach@example.vn"]] == [
        f"Xác nhận của đơn hàng {order.number}"]

    # The same event again, the delivery again, beat again: nothing more is sent or paid for
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_customer_message(order=order, event=events.ORDER_PLACED) == []
        assert delivery.deliver_message(message.pk) is False
        services.resend_undelivered(older_than=dt.timedelta(0))
    assert len(fake_zalo.sent) == 1 and rows(order).count() == 2


def test_one_message_per_event_and_channel_is_kept_by_the_database(honey):
    order = order_from((honey, 1))
    Message.objects.create(event="ORDER_DELIVERED", channel=Channel.SMS, key=f"ORDER_DELIVERED:order-{order.pk}:sms")
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(event="ORDER_DELIVERED", channel=Channel.SMS,
                               key=f"ORDER_DELIVERED:order-{order.pk}:sms")


def test_no_provider_configured_means_email_only(honey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = order_from((honey, 1))
        services.queue_customer_message(order=order, event=events.ORDER_DELIVERED)
    assert list(rows(order).values_list("channel", "status")) == [("email", "sent")]
    assert [m.subject for m in mail.outbox if m.to == ["khach@example.vn"]] == [
        f"Đơn hàng {order.number} của bạn đã được giao"]


def test_a_signed_in_shopper_gets_the_channels_they_chose(honey, fake_zalo, fake_esms,
                                                           django_capture_on_commit_callbacks):
    user = get_user_model().objects.create_user(username="chon-kenh", email="chon@example.vn", password="x-2026")
    ContactPreference.objects.create(user=user, by_email=False, by_sms=True, phone="0987 654 321")
    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket_of((honey, 1), owner=user), user=user)
        services.queue_customer_message(order=order, event=events.ORDER_READY_AT_SHOWROOM,
                                        context={"showroom": "Điểm OCOP Mộc Châu"})
    assert list(rows(order).values_list("channel", "recipient", "status")) == [("sms", "84987654321", "sent")]
    [sms] = fake_esms.sent
    assert sms["Phone"] == "0987654321" and sms["Brandname"] == "OCOPSONLA" and sms["IsUnicode"] == "0"
    assert sms["Content"] == f"OCOP Son La: don hang {order.number} da san sang, moi ban den nhan tai Diem OCOP Moc Chau."
    assert fake_zalo.sent == [] and not [m for m in mail.outbox if m.to == ["chon@example.vn"]]


def test_an_expired_zalo_token_is_refreshed_once_and_the_message_sent(honey, fake_zalo,
                                                                      django_capture_on_commit_callbacks):
    fake_zalo.expire_tokens()  # Zalo's OA access tokens live 25 hours
    with django_capture_on_commit_callbacks(execute=True):
        order = order_from((honey, 1))
        services.queue_customer_message(order=order, event=events.ORDER_SHIPPED)
    assert rows(order, Channel.ZNS).get().status == MessageStatus.SENT
    paths = [r.path for r in fake_zalo.requests]
    assert paths == ["/message/template", "/v4/oa/access_token", "/message/template"]
    refresh = fake_zalo.requests[1]
    assert refresh.headers["secret_key"] == "secret-1"
    assert refresh.body == {"app_id": "app-1", "refresh_token": "rt-first", "grant_type": "refresh_token"}
    token = ZaloToken.objects.get()
    assert token.access_token in fake_zalo.tokens and token.refresh_token in fake_zalo.refresh_tokens
    assert fake_zalo.requests[2].headers["access_token"] == token.access_token

    # The next message uses the stored token; the single-use refresh token from the environment is spent
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_customer_message(order=order, event=events.ORDER_DELIVERED)
    assert fake_zalo.requests[-1].headers["access_token"] == token.access_token and len(fake_zalo.sent) == 2


def test_a_refresh_zalo_refuses_is_recorded_not_retried(honey, fake_zalo, django_capture_on_commit_callbacks):
    fake_zalo.expire_tokens()
    fake_zalo.refresh_tokens.clear()  # revoked: the OA must be authorised again
    with django_capture_on_commit_callbacks(execute=True):
        order = order_from((honey, 1))
        services.queue_customer_message(order=order, event=events.ORDER_PLACED)
    message = rows(order, Channel.ZNS).get()
    assert message.status == MessageStatus.FAILED and "Invalid refresh token" in message.last_error
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_undelivered(older_than=dt.timedelta(0))
    assert len(fake_zalo.requests) == 2 and fake_zalo.sent == []


@pytest.mark.parametrize("answer, error", [
    ({"error": -108, "message": "Phone number invalid"}, "Zalo error -108: Phone number invalid"),
    ({"error": -109, "message": "Template ID invalid"}, "Zalo error -109: Template ID invalid"),
])
def test_a_bad_number_or_a_rejected_template_fails_for_staff_to_see(honey, fake_zalo, admin_client, answer, error,
                                                                    django_capture_on_commit_callbacks):
    fake_zalo.fail(200, answer)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_from((honey, 1))
        services.queue_customer_message(order=order, event=events.ORDER_PLACED)
    message = rows(order, Channel.ZNS).get()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.FAILED, 1, f"PermanentError: {error}")
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_undelivered(older_than=dt.timedelta(0))
    assert len(fake_zalo.requests) == 1  # never retried by itself
    page = admin_client.get("/admin/notifications/message/?status__exact=failed")
    assert page.status_code == 200 and error in page.content.decode()
    detail = admin_client.get(reverse("dashboard:order-detail", kwargs={"number": order.number})).content.decode()
    assert 'id="ocop-messages"' in detail and "Lỗi: cần người xử lý" in detail and error in detail


def test_a_provider_error_is_retried_and_the_message_sent_once(honey, fake_esms, settings):
    user = get_user_model().objects.create_user(username="sms-retry", email="r@example.vn", password="x-2026")
    ContactPreference.objects.create(user=user, by_email=False, by_sms=True)
    order = place(basket_of((honey, 1), owner=user), user=user)  # no commit: delivered by hand
    [message] = services.queue_customer_message(order=order, event=events.ORDER_DELIVERED)
    fake_esms.fail(503, None)
    fake_esms.fail(200, {"CodeResult": "103", "ErrorMessage": "Not enough balance"})
    for _ in range(2):  # what each try of the task does
        with pytest.raises(TemporaryError):
            delivery.deliver_message(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 2) and "103" in message.last_error
    assert delivery.deliver_message(message.pk) is True
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 3, "")
    assert len(fake_esms.sent) == 1 and fake_esms.sent[0]["Phone"] == "0912345678"


def test_temporary_errors_give_up_after_the_last_attempt(honey, fake_zalo):
    order = order_from((honey, 1))
    [_, message] = services.queue_customer_message(order=order, event=events.ORDER_PLACED)
    fake_zalo.fail(502, None, times=delivery.MAX_ATTEMPTS)
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        with pytest.raises(TemporaryError):
            delivery.deliver_message(message.pk)
    assert delivery.deliver_message(message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, delivery.MAX_ATTEMPTS)


def test_a_zalo_answer_that_never_comes_is_not_sent_again(honey, fake_zalo, settings, monkeypatch):
    from notifications.channels import zns

    monkeypatch.setattr(zns, "TIMEOUT", (1, 0.3))
    order = order_from((honey, 1))
    [_, message] = services.queue_customer_message(order=order, event=events.ORDER_PLACED)
    fake_zalo.hang(1.0)  # Zalo sends it, its answer is lost
    assert delivery.deliver_message(message.pk) is False
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "outcome unknown" in message.last_error
    assert delivery.deliver_message(message.pk) is False
    assert len(fake_zalo.sent) == 1


def test_a_worker_killed_while_sending_never_pays_twice(honey, fake_zalo, fake_esms):
    """The claim was committed, then the worker died: beat hands the SMS back (eSMS refuses the same
    RequestId twice) and leaves the Zalo message to a person."""
    user = get_user_model().objects.create_user(username="both", email="b@example.vn", password="x-2026")
    ContactPreference.objects.create(user=user, by_email=False, by_zalo=True, by_sms=True)
    order = place(basket_of((honey, 1), owner=user), user=user)
    made = services.queue_customer_message(order=order, event=events.ORDER_DELIVERED)
    zalo, sms = sorted(made, key=lambda m: m.channel != Channel.ZNS)
    # What the killed worker did: claimed both, the providers took both, nothing more was recorded.
    for message in made:
        delivery.send_by_channel(Message.objects.get(pk=message.pk))
    long_ago = timezone.now() - delivery.STALE_SENDING - dt.timedelta(seconds=1)
    Message.objects.filter(pk__in=[zalo.pk, sms.pk]).update(status=MessageStatus.SENDING, claimed_at=long_ago,
                                                            attempts=1)

    services.resend_undelivered(older_than=dt.timedelta(0))  # beat: the SMS is re-sent (inline here)
    zalo.refresh_from_db()
    sms.refresh_from_db()
    assert sms.status == MessageStatus.SENT and sms.provider_ref == f"already sent (ocop-msg-{sms.pk})"
    assert zalo.status == MessageStatus.FAILED and "outcome unknown" in zalo.last_error
    assert len(fake_esms.sent) == 1 and len(fake_zalo.sent) == 1


def test_a_producer_hears_of_a_new_order_by_zalo_when_they_chose_it(fake_zalo, django_capture_on_commit_callbacks):
    partner = make_producer("htx-zalo", "htx@zalo.example")
    ContactPreference.objects.create(partner=partner, by_zalo=True, phone="0356 111 222")
    tea = make_product(partner, title="Chè Shan tuyết", price=150000)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_from((tea, 2))
    message = Message.objects.get(partner=partner)
    assert (message.event, message.channel, message.recipient, message.status) == (
        events.PRODUCER_NEW_ORDER, Channel.ZNS, "84356111222", MessageStatus.SENT)
    assert fake_zalo.sent[0]["template_data"] == {"order_code": str(order.number), "producer": "HTX htx-zalo",
                                                  "total": "300.000 ₫"}
    assert [m.to for m in mail.outbox if "Đơn hàng mới" in m.subject] == [["htx@zalo.example"]]


def test_a_certificate_reminder_goes_by_sms_to_a_producer_who_chose_it(fake_esms, django_capture_on_commit_callbacks):
    from catalog_ext.models import Certificate
    from notifications.tasks import send_certificate_expiry_reminders

    tea = Partner.objects.get(users__email="mocchau.tea@ocop.demo")
    ContactPreference.objects.create(partner=tea, by_sms=True, phone="0356 222 333")
    with django_capture_on_commit_callbacks(execute=True):
        send_certificate_expiry_reminders.delay()
    certificate = Certificate.objects.get(number="DEMO-SL-2023-TE003")
    [sms] = [s for s in fake_esms.sent if s["Phone"] == "0356222333"]
    assert sms["Content"] == (f"OCOP Son La: giay chung nhan OCOP DEMO-SL-2023-TE003 cua "
                              f"{unaccented(certificate.product.get_title())} het han ngay "
                              f"{certificate.expires_on:%d/%m/%Y}.")
    assert Message.objects.get(partner=tea, event=events.CERT_EXPIRY).status == MessageStatus.SENT
    with django_capture_on_commit_callbacks(execute=True):  # the next day's run: nothing paid twice
        send_certificate_expiry_reminders.delay()
    assert len([s for s in fake_esms.sent if s["Phone"] == "0356222333"]) == 1

"""Personal data under Decree 13/2023/NĐ-CP, as a shopper and the office see it: the notice, consent
recorded with its time and version, the download, closing an account, anonymising after the
retention period, and staff reading customer data logged."""
import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from notifications.models import ContactPreference, Message
from privacy import erasure
from privacy.models import Anonymisation, Consent, DeletionRequest, Purpose, StaffAccess
from privacy.tasks import anonymise_expired_personal_data
from shop.payment import methods
from tests.checkout.payment_methods.checkout import GUEST_EMAIL, choose_payment, place_order, start_guest_checkout
from tests.notifications.factories import basket_of, make_producer, make_product, place

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(db):
    return make_product(make_producer("che-ca-nhan", "che@canhan.example"), title="Chè Shan tuyết", stock=100)


@pytest.fixture
def customer(db):
    return User.objects.create_user(username="thu-ha", email="thuha@example.vn", password="mat-khau-2026",
                                    first_name="Thu Hà", last_name="Nguyễn")


def placed_days_ago(order, days):
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - dt.timedelta(days=days))
    order.refresh_from_db()
    return order


def test_the_notice_says_what_why_how_long_and_who_in_vietnamese(client, settings):
    settings.PRIVACY_RETENTION_DAYS = 3650
    page = client.get(reverse("privacy-notice"))
    html = page.content.decode()
    assert page.status_code == 200
    for heading in ("Chúng tôi lưu những gì", "Để làm gì", "Ai được xem", "Lưu bao lâu", "Quyền của bạn"):
        assert heading in html
    assert "Nghị định 13/2023/NĐ-CP" in html and "được lưu 10 năm" in html
    assert "chỉ thấy tên, số điện thoại và địa chỉ giao hàng của những dòng hàng <em>của chính họ</em>" in html
    assert f'data-notice-version="{settings.PRIVACY_NOTICE_VERSION}"' in html
    english = client.get(reverse("privacy-notice") + "?lang=en").content.decode()
    assert "Who sees it" in english and "Personal data notice" in english


def test_placing_an_order_records_consent_with_its_time_and_the_notice_version(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-12-06"
    start_guest_checkout(client)
    choose_payment(client, methods.COD)
    preview = client.get(reverse("checkout:preview"))
    assert reverse("privacy-notice") in preview.content.decode()
    assert "Khi bấm Đặt hàng, bạn đồng ý" in preview.content.decode()
    before = timezone.now()
    assert place_order(client).status_code == 302
    order = Order.objects.get(guest_email=GUEST_EMAIL)
    consent = Consent.objects.get(order=order)
    assert (consent.purpose, consent.notice_version, consent.email) == (Purpose.CHECKOUT, "2026-12-06", GUEST_EMAIL)
    assert before <= consent.given_at <= timezone.now()


def test_signing_up_records_consent(client, settings):
    page = client.get(reverse("customer:register"))
    assert reverse("privacy-notice") in page.content.decode() and "Khi tạo tài khoản, bạn đồng ý" in page.content.decode()
    response = client.post(reverse("customer:register"), {"email": "moi@example.vn", "password1": "Chè-Shan-2026!",
                                                         "password2": "Chè-Shan-2026!"})
    assert response.status_code == 302
    consent = Consent.objects.get(user__email="moi@example.vn")
    assert (consent.purpose, consent.notice_version) == (Purpose.SIGNUP, settings.PRIVACY_NOTICE_VERSION)


def test_a_customer_downloads_their_own_data_and_nobody_elses(client, customer, tea):
    mine = place(basket_of((tea, 2), owner=customer), user=customer)
    other = User.objects.create_user(username="khac", email="khac@example.vn", password="x-2026")
    theirs = place(basket_of((tea, 1), owner=other), user=other)
    ContactPreference.objects.create(user=customer, by_zalo=True, phone="0912345678")
    client.force_login(customer)
    assert "Tải dữ liệu của tôi" in client.get(reverse("account-my-data")).content.decode()
    response = client.get(reverse("account-my-data-download"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "thuha@example.vn"
    assert [o["number"] for o in data["orders"]] == [str(mine.number)]
    assert data["orders"][0]["delivery_address"]["phone"] == "+84912345678"
    assert data["orders"][0]["lines"] == [{"product": "Chè Shan tuyết", "quantity": 2,
                                           "total": int(mine.lines.get().line_price_incl_tax)}]
    assert data["contact_preference"]["zalo"] is True
    assert str(theirs.number) not in response.content.decode()
    anonymous = Client().get(reverse("account-my-data-download"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_closing_an_account_erases_it_and_keeps_the_orders(client, customer, tea):
    order = place(basket_of((tea, 1), owner=customer), user=customer)
    UserAddress.objects.create(user=customer, first_name="Thu Hà", last_name="Nguyễn", line1="12 Tô Hiệu",
                               line4="Sơn La", country=Country.objects.get(iso_3166_1_a2="VN"),
                               phone_number="+84912345678")
    ContactPreference.objects.create(user=customer, by_sms=True, phone="0912345678")
    client.force_login(customer)
    wrong = client.post(reverse("account-my-data"), {"password": "not-it"})
    assert wrong.status_code == 200 and "Mật khẩu không đúng." in wrong.content.decode()
    assert User.objects.get(pk=customer.pk).is_active

    closed = client.post(reverse("account-my-data"), {"password": "mat-khau-2026"})
    assert closed.status_code == 302
    customer.refresh_from_db()
    assert not customer.is_active and customer.email == f"closed-{customer.pk}@invalid.invalid"
    assert (customer.first_name, customer.last_name, customer.has_usable_password()) == ("", "", False)
    assert not UserAddress.objects.filter(user=customer).exists()
    assert not ContactPreference.objects.filter(user=customer).exists()
    assert DeletionRequest.objects.get(user_id_erased=customer.pk).completed_at is not None
    assert Order.objects.filter(pk=order.pk, user=customer).exists()  # kept for accounting
    assert not Client().login(username="thuha@example.vn", password="mat-khau-2026")


def test_orders_past_the_retention_period_lose_their_persons_data(customer, tea, settings):
    settings.PRIVACY_RETENTION_DAYS = 365
    guest_old = placed_days_ago(place(basket_of((tea, 1))), 400)
    guest_new = placed_days_ago(place(basket_of((tea, 1))), 300)
    active_old = placed_days_ago(place(basket_of((tea, 1), owner=customer), user=customer), 400)
    closed_user = User.objects.create_user(username="da-dong", email="dadong@example.vn", password="x-2026")
    closed_old = placed_days_ago(place(basket_of((tea, 1), owner=closed_user), user=closed_user), 400)
    erasure.close_account(closed_user)
    Message.objects.create(event="ORDER_PLACED", channel="sms", key=f"t:{guest_old.pk}", order=guest_old,
                           recipient="84912345678", payload={"name": "Thu Hà"})

    assert anonymise_expired_personal_data() == 2
    assert anonymise_expired_personal_data() == 0  # once
    for order in (guest_old, closed_old):
        order.refresh_from_db()
        address = order.shipping_address
        assert (order.guest_email, address.first_name, str(address.phone_number or ""), address.line4) == ("", "", "", "")
        assert address.last_name == "—" and address.line1 == "—"
        assert order.lines.count() == 1 and order.total_incl_tax > 0  # the accounting record stays
    assert Message.objects.get(order=guest_old).recipient == ""
    assert set(Anonymisation.objects.values_list("order_id", flat=True)) == {guest_old.pk, closed_old.pk}
    for order in (guest_new, active_old):
        order.refresh_from_db()
        assert str(order.shipping_address.phone_number) == "+84912345678"


def test_office_staff_reading_an_order_or_a_customer_is_logged(tea, customer):
    order = place(basket_of((tea, 1)))
    office = User.objects.get(email="vanphong@ocop.demo")
    staff = Client()
    staff.force_login(office)
    assert staff.get(reverse("dashboard:order-detail", kwargs={"number": order.number})).status_code == 200
    admin = Client()
    admin.force_login(User.objects.get(email="admin@ocop.demo"))
    assert admin.get(reverse("dashboard:user-detail", kwargs={"pk": customer.pk})).status_code == 200
    assert list(StaffAccess.objects.order_by("pk").values_list("staff__email", "page", "subject")) == [
        ("vanphong@ocop.demo", "dashboard:order-detail", f"order {order.number}"),
        ("admin@ocop.demo", "dashboard:user-detail", f"customer {customer.pk}")]

    # A customer on their own pages, or a producer sent to the portal, is not staff access
    shopper = Client()
    shopper.force_login(customer)
    shopper.get(reverse("customer:order-list"))
    producer = Client()
    producer.force_login(User.objects.get(email="htx.chiengmai@ocop.demo"))
    producer.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    assert StaffAccess.objects.count() == 2
    # and nobody edits the log, not even a superuser
    log = admin.get(reverse("admin:privacy_staffaccess_changelist"))
    assert log.status_code == 200 and "vanphong@ocop.demo" in log.content.decode()
    assert admin.post(reverse("admin:privacy_staffaccess_delete", args=[StaffAccess.objects.first().pk]),
                      {"post": "yes"}).status_code == 403

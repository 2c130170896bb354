"""A shopper and a producer choose how they hear from the shop; a channel not configured is not offered."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from notifications.models import ContactPreference

from .factories import make_producer

pytestmark = pytest.mark.django_db


def test_a_shopper_chooses_zalo_with_their_number(client, fake_zalo, fake_esms):
    user = get_user_model().objects.create_user(username="chon", email="chon@example.vn", password="x-2026")
    client.force_login(user)
    page = client.get(reverse("account-messages"))
    assert page.status_code == 200 and {"by_email", "by_zalo", "by_sms", "phone"} <= set(page.context["form"].fields)
    bad = client.post(reverse("account-messages"), {"by_zalo": "on", "phone": "024 3826 4321"})
    assert "Nhập số di động Việt Nam, ví dụ 0912 345 678." in bad.content.decode()
    saved = client.post(reverse("account-messages"), {"by_email": "on", "by_zalo": "on", "phone": "0912 345 678"})
    assert saved.status_code == 302
    preference = ContactPreference.objects.get(user=user)
    assert (preference.channels(), preference.phone) == (["email", "zns"], "0912 345 678")


def test_without_providers_only_email_is_offered(client):
    user = get_user_model().objects.create_user(username="chi-email", email="e@example.vn", password="x-2026")
    client.force_login(user)
    page = client.get(reverse("account-messages"))
    assert set(page.context["form"].fields) == {"by_email"}
    assert "Chưa có dịch vụ Zalo và SMS." in page.content.decode()


def test_a_producer_chooses_sms_on_the_producer_phone(client, fake_esms):
    partner = make_producer("htx-sms", "htx@sms.example")
    partner.phone = "0356 111 222"
    partner.save()
    client.force_login(partner.users.get())
    page = client.get(reverse("dashboard:producer-messages"))
    assert page.status_code == 200 and set(page.context["form"].fields) == {"by_sms", "phone"}
    assert client.post(reverse("dashboard:producer-messages"), {"by_sms": "on"}).status_code == 302
    assert ContactPreference.objects.get(partner=partner).channels() == ["email", "sms"]

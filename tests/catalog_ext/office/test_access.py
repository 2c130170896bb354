"""Only staff reach the OCOP office: producers and customers get 403, visitors the login page."""
import pytest
from django.urls import reverse

from catalog_ext.models import Certificate, CertificateImport, GeographicalIndication, GILicence

pytestmark = pytest.mark.django_db


def office_urls():
    certificate = Certificate.objects.order_by("pk").first().pk
    licence = GILicence.objects.order_by("pk").first().pk
    gi = GeographicalIndication.objects.order_by("pk").first().pk
    names = {
        "ocop-certificate-list": {}, "ocop-certificate-create": {}, "ocop-certificate-expiring": {},
        "ocop-certificate-update": {"pk": certificate}, "ocop-certificate-revoke": {"pk": certificate},
        "ocop-certificate-renew": {"pk": certificate}, "ocop-import": {},
        "ocop-import-preview": {"token": "00000000-0000-0000-0000-000000000000"},
        "ocop-gi-list": {}, "ocop-gi-create": {}, "ocop-gi-update": {"pk": gi},
        "ocop-licence-list": {}, "ocop-licence-create": {}, "ocop-licence-update": {"pk": licence},
        "ocop-licence-revoke": {"pk": licence}, "ocop-producer-list": {},
    }
    return [reverse(f"dashboard:{name}", kwargs=kwargs) for name, kwargs in names.items()]


@pytest.mark.parametrize("who", ["producer", "customer"])
def test_logged_in_non_staff_get_403_on_every_office_url(request, who):
    client = request.getfixturevalue(who)
    for url in office_urls():
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "x", "on": "2026-01-01", "number": "X"}).status_code == 403, url
    assert not CertificateImport.objects.exists()


def test_visitors_are_sent_to_the_dashboard_login(anonymous):
    for url in office_urls():
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("dashboard:login")), url


def test_producer_does_not_see_the_ocop_menu_but_staff_do(producer, office):
    assert reverse("dashboard:ocop-certificate-list") not in producer.get(reverse("dashboard:index")).content.decode()
    body = office.get(reverse("dashboard:index")).content.decode()
    for name in ("ocop-certificate-list", "ocop-certificate-expiring", "ocop-gi-list", "ocop-licence-list",
                 "ocop-producer-list", "ocop-import"):
        assert reverse(f"dashboard:{name}") in body, name


def test_producer_cannot_edit_partner_profiles(producer):
    from oscar.core.loading import get_model

    partner = get_model("partner", "Partner").objects.get(code="chieng-mai-coffee")
    assert producer.get(reverse("dashboard:partner-manage", kwargs={"pk": partner.pk})).status_code == 403


def test_office_pages_speak_vietnamese_by_default(db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    body = client.get(reverse("dashboard:ocop-certificate-list")).content.decode()
    assert "Ghi nhận giấy chứng nhận" in body and "Cấp lại hoặc đánh giá lại" in body
    assert "Giấy chứng nhận sắp hết hạn" in body  # the OCOP menu

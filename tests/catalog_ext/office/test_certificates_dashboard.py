"""The office records, corrects, revokes and renews certificates in Oscar's dashboard."""
import datetime as dt

import pytest
from django.urls import reverse

from catalog_ext import rules
from catalog_ext.badges import badges_for
from catalog_ext.models import Certificate

from .conftest import demo_product

pytestmark = pytest.mark.django_db
CREATE = reverse("dashboard:ocop-certificate-create")


def form_data(product, **overrides):
    data = {"product": product.pk, "stars": 3, "score": 60, "number": "OFFICE-1", "issuer": "UBND tỉnh Sơn La",
            "level": "province", "issued_on": rules.today().isoformat(), "expires_on": "", "score_a": "",
            "score_b": "", "score_c": ""}
    data.update(overrides)
    return data


def field_errors(response, field):
    return " ".join(str(e) for e in response.context["form"].errors.get(field, []))


def test_office_creates_a_certificate(office):
    # Given a product whose only certificate has expired (RC-001)
    product = demo_product("RC-001")
    assert badges_for(product).stars is None
    # When the office records a new 3★ certificate
    response = office.post(CREATE, form_data(product, number="OFFICE-NEW"))
    # Then it is on record with the 36-month default expiry, and the badge shows again
    assert response.status_code == 302
    certificate = Certificate.objects.get(number="OFFICE-NEW")
    assert certificate.product == product
    assert certificate.expires_on == rules.default_expiry(rules.today())
    assert badges_for(product).stars == 3


@pytest.mark.parametrize("overrides, field, message", [
    ({"stars": 4, "score": 95}, "stars", "4★ needs a score from 70 to 89; 95 points gives 5★"),
    ({"stars": 5, "score": 92, "level": "province"}, "level", "Only the central council rates 5★ products."),
    ({"issued_on": "2026-01-10", "expires_on": "2025-01-01"}, "expires_on", "The expiry date must be after the issue date."),
    ({"number": "DEMO-SL-2024-CF002", "issuer": "UBND tỉnh Sơn La"}, "number",
     "UBND tỉnh Sơn La already issued certificate DEMO-SL-2024-CF002."),
])
def test_rule_violations_show_on_the_form_field(office, overrides, field, message):
    product = demo_product("RC-001")
    response = office.post(CREATE, form_data(product, **overrides))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert message in response.content.decode()
    assert not Certificate.objects.filter(number=overrides.get("number", "OFFICE-1"), product=product).exists()


def test_edit_corrects_a_certificate(office):
    certificate = Certificate.objects.get(number="DEMO-SL-2024-FR001")
    url = reverse("dashboard:ocop-certificate-update", kwargs={"pk": certificate.pk})
    page = office.get(url)
    assert page.status_code == 200 and "DEMO-SL-2024-FR001" in page.content.decode()
    data = {k: v for k, v in form_data(certificate.product, stars=4, score=77, score_a=30, score_b=27, score_c=20,
                                       number="DEMO-SL-2024-FR001", issued_on=certificate.issued_on.isoformat(),
                                       expires_on=certificate.expires_on.isoformat()).items() if k != "product"}
    assert office.post(url, data).status_code == 302
    certificate.refresh_from_db()
    assert (certificate.score, certificate.score_a, certificate.product.pk) == (77, 30, demo_product("FR-001").pk)


def test_revoke_needs_a_reason_and_takes_the_badge_down_at_once(office):
    product = demo_product("HB-001")
    certificate = Certificate.objects.valid().get(product=product)
    url = reverse("dashboard:ocop-certificate-revoke", kwargs={"pk": certificate.pk})
    assert badges_for(product).stars == 4
    # Without a reason: refused, with the message on the field
    response = office.post(url, {"reason": "  ", "on": rules.today().isoformat()})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    # The date defaults to today
    assert office.get(url).context["form"]["on"].value() == rules.today()
    # With a reason: revoked today, the badge is gone on the next request
    assert office.post(url, {"reason": "Failed the annual check", "on": rules.today().isoformat()}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_on == rules.today() and certificate.revoked_reason == "Failed the annual check"
    assert badges_for(product).stars is None
    page = office.get(reverse("dashboard:ocop-certificate-list") + "?status=revoked&q=" + certificate.number)
    assert certificate.number in page.content.decode()


def test_revoke_cannot_be_dated_in_the_future(office):
    certificate = Certificate.objects.valid().get(product=demo_product("HB-002"))
    url = reverse("dashboard:ocop-certificate-revoke", kwargs={"pk": certificate.pk})
    tomorrow = rules.today() + dt.timedelta(days=1)
    response = office.post(url, {"reason": "x", "on": tomorrow.isoformat()})
    assert "cannot be dated in the future" in field_errors(response, "on")
    certificate.refresh_from_db()
    assert certificate.revoked_on is None


def test_renew_upgrades_and_keeps_history(office):
    # Given TE-003, a 3★ certificate expiring within 30 days
    product = demo_product("TE-003")
    old = Certificate.objects.valid().get(product=product)
    url = reverse("dashboard:ocop-certificate-renew", kwargs={"pk": old.pk})
    # The form is prefilled from the old certificate, issued today
    initial = office.get(url).context["form"].initial
    assert (initial["stars"], initial["issuer"], initial["issued_on"]) == (3, old.issuer, rules.today())
    # When the office records the re-evaluation as a 4★ upgrade
    data = {k: v for k, v in form_data(product, stars=4, score=78, number="OFFICE-RENEW").items() if k != "product"}
    assert office.post(url, data).status_code == 302
    # Then both certificates are on record and the newest is the badge
    assert list(Certificate.objects.filter(product=product).values_list("number", flat=True)) == [
        "OFFICE-RENEW", old.number]
    old.refresh_from_db()
    assert old.revoked_on is None and old.is_valid_on()
    badges = badges_for(product)
    assert (badges.stars, badges.certificate_number) == (4, "OFFICE-RENEW")


def test_list_filters_by_status_stars_and_search(office):
    url = reverse("dashboard:ocop-certificate-list")
    expiring = office.get(url + "?status=expiring").content.decode()
    assert "DEMO-SL-2023-TE003" in expiring and "DEMO-SL-2023-HN003" in expiring
    assert "DEMO-SL-2024-FR001" not in expiring
    expired = office.get(url + "?status=expired").content.decode()
    assert "DEMO-SL-2022-RC001" in expired and "DEMO-SL-2023-TE003" not in expired
    five = office.get(url + "?stars=5").context["certificates"]
    assert {c.stars for c in five} == {5}
    # Search without accents finds the product by title; by SKU and by number too
    assert any(c.product.pk == demo_product("CF-001").pk for c in office.get(url + "?q=ca phe").context["certificates"])
    assert [c.number for c in office.get(url + "?q=DR-003").context["certificates"]] == ["DEMO-SL-2025-DR003"]
    assert [c.number for c in office.get(url + "?q=TW-2025-CF001").context["certificates"]] == ["DEMO-TW-2025-CF001"]


def test_expiring_page_lists_expiring_and_expired(office):
    body = office.get(reverse("dashboard:ocop-certificate-expiring")).content.decode()
    assert "DEMO-SL-2023-TE003" in body and "DEMO-SL-2023-HN003" in body
    assert "DEMO-SL-2022-RC001" in body  # expired, never renewed
    assert "DEMO-SL-2021-TE001-H" not in body  # expired, but TE-001 was re-rated since


def test_dashboard_index_shows_the_office_counts(office, producer):
    body = office.get(reverse("dashboard:index")).content.decode()
    assert "2 certificates expire within 30 days" in body  # TE-003 and HN-003
    assert "1 expired and not renewed" in body  # RC-001
    assert "data-ocop-counts" not in producer.get(reverse("dashboard:index")).content.decode()


def test_renewal_cannot_predate_the_certificate_it_renews(office):
    old = Certificate.objects.valid().get(product=demo_product("TE-002"))
    url = reverse("dashboard:ocop-certificate-renew", kwargs={"pk": old.pk})
    earlier = (old.issued_on - dt.timedelta(days=1)).isoformat()
    data = {k: v for k, v in form_data(old.product, stars=4, score=80, number="OFFICE-EARLY",
                                       issued_on=earlier).items() if k != "product"}
    response = office.post(url, data)
    assert response.status_code == 200
    assert "cannot be issued before the certificate it renews" in field_errors(response, "issued_on")
    assert not Certificate.objects.filter(number="OFFICE-EARLY").exists()

"""The GI registry and its licences, kept by the office in the dashboard."""
import pytest
from django.urls import reverse

from catalog_ext import rules
from catalog_ext.badges import badges_for
from catalog_ext.models import GeographicalIndication, GILicence
from core.places import ward_code

from .conftest import demo_product

pytestmark = pytest.mark.django_db


def test_gi_list_shows_the_registry(office):
    body = office.get(reverse("dashboard:ocop-gi-list")).content.decode()
    for name in ("Cà phê Sơn La", "Chè Shan tuyết Mộc Châu", "Xoài tròn Yên Châu", "Cam Phù Yên"):
        assert name in body
    assert "Xã Chiềng Mai" in body


def test_office_registers_a_gi_with_its_area(office):
    page = office.get(reverse("dashboard:ocop-gi-create"))
    assert 'name="area"' in page.content.decode() and "Xã Sông Mã" in page.content.decode()
    response = office.post(reverse("dashboard:ocop-gi-create"), {
        "name": "Nhãn Sông Mã", "slug": "", "registration_number": "DEMO-GI-99", "registered_on": "2024-05-01",
        "managing_body": "Sở Nông nghiệp và Môi trường Sơn La", "product_kind": "Nhãn",
        "area": [ward_code("Xã Sông Mã"), ward_code("Xã Mường La")]})
    assert response.status_code == 302
    gi = GeographicalIndication.objects.get(slug="nhan-song-ma")
    assert sorted(gi.area_names) == ["Xã Mường La", "Xã Sông Mã"]


def test_gi_needs_an_area_and_rejects_unknown_communes(office):
    data = {"name": "X", "registration_number": "1", "registered_on": "2024-01-01", "managing_body": "Y",
            "product_kind": "Z"}
    assert office.post(reverse("dashboard:ocop-gi-create"), data).context["form"].errors["area"]
    response = office.post(reverse("dashboard:ocop-gi-create"), {**data, "area": ["1"]})
    assert response.status_code == 200 and response.context["form"].errors["area"]


def test_editing_the_area_takes_the_gi_tag_off_products_outside_it(office):
    # Given Chiềng Mai coffee carries the Cà phê Sơn La tag
    product = demo_product("CF-001")
    assert badges_for(product).gi_slug == "ca-phe-son-la"
    gi = GeographicalIndication.objects.get(slug="ca-phe-son-la")
    url = reverse("dashboard:ocop-gi-update", kwargs={"pk": gi.pk})
    form = office.get(url).context["form"]
    assert ward_code("Xã Chiềng Mai") in form["area"].value()
    # When the office takes Chiềng Mai out of the area
    area = [code for code in form["area"].value() if code != ward_code("Xã Chiềng Mai")]
    data = {name: form[name].value() or "" for name in form.fields if name != "area"}
    data["registered_on"] = gi.registered_on.isoformat()
    assert office.post(url, {**data, "area": area}).status_code == 302
    # Then the area is saved and the coffee no longer carries the tag
    assert "Xã Chiềng Mai" not in GeographicalIndication.objects.get(pk=gi.pk).area_names
    assert badges_for(product).gi_slug == ""


def test_licence_pages_render(office):
    licence = GILicence.objects.get(number="DEMO-GIL-CA-PHE-S-01")
    assert "DEMO-GIL-CA-PHE-S-01" in office.get(reverse("dashboard:ocop-licence-list")).content.decode()
    filtered = office.get(reverse("dashboard:ocop-licence-list") + f"?gi={licence.gi_id}").context["licences"]
    assert {lic.gi_id for lic in filtered} == {licence.gi_id}
    assert office.get(reverse("dashboard:ocop-licence-update", kwargs={"pk": licence.pk})).status_code == 200


def licence_data(gi, producer, **overrides):
    data = {"gi": gi.pk, "producer": producer.pk, "number": "OFFICE-GIL-1", "issued_on": "2025-01-01",
            "expires_on": "2030-01-01"}
    data.update(overrides)
    return data


def test_licence_for_a_producer_outside_the_area_is_refused_on_the_field(office):
    gi = GeographicalIndication.objects.get(slug="ca-phe-son-la")
    outside = demo_product("MT-001").producer  # Tây Bắc foods, Phường Tô Hiệu
    response = office.post(reverse("dashboard:ocop-licence-create"), licence_data(gi, outside))
    assert response.status_code == 200
    assert "This producer is not located in the GI's area." in response.context["form"].errors["producer"]
    assert not GILicence.objects.filter(number="OFFICE-GIL-1").exists()


def test_office_grants_and_edits_a_licence(office):
    gi = GeographicalIndication.objects.get(slug="che-shan-tuyet-moc-chau")
    inside = demo_product("DF-005").producer  # Vân Hồ, inside the Mộc Châu tea area
    assert office.post(reverse("dashboard:ocop-licence-create"), licence_data(gi, inside)).status_code == 302
    licence = GILicence.objects.get(number="OFFICE-GIL-1")
    assert licence.producer == inside and licence.is_valid_on()
    url = reverse("dashboard:ocop-licence-update", kwargs={"pk": licence.pk})
    assert office.post(url, licence_data(gi, inside, expires_on="2031-01-01")).status_code == 302
    licence.refresh_from_db()
    assert licence.expires_on.isoformat() == "2031-01-01"


def test_revoking_a_licence_takes_the_gi_tag_down(office):
    product = demo_product("CF-001")
    licence = GILicence.objects.get(number="DEMO-GIL-CA-PHE-S-01")
    url = reverse("dashboard:ocop-licence-revoke", kwargs={"pk": licence.pk})
    assert office.post(url, {"reason": "", "on": rules.today().isoformat()}).context["form"].errors["reason"]
    assert office.post(url, {"reason": "Labels misused", "on": rules.today().isoformat()}).status_code == 302
    licence.refresh_from_db()
    assert licence.status == "revoked"
    assert badges_for(product).gi_slug == ""
    # The certificate badge is a separate matter: it stays
    assert badges_for(product).stars == 5


def test_producer_list_shows_profiles(office):
    body = office.get(reverse("dashboard:ocop-producer-list")).content.decode()
    assert 'data-producer="chieng-mai-coffee"' in body and "Xã Chiềng Mai" in body
    assert "htx.chiengmai@ocop.demo" in body

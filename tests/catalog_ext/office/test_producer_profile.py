"""The office edits a producer's profile on Oscar's partner page (forked form)."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image

from core.places import ward_code

Partner = get_model("partner", "Partner")
pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 150, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


def posted(form, prefix=""):
    """The values a browser would send back for this form."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, "") and not hasattr(value, "url"):
            data[f"{prefix}{name}"] = value
    return data


def test_partner_page_edits_the_producer_profile(office):
    partner = Partner.objects.get(code="sop-cop-honey")
    url = reverse("dashboard:partner-manage", kwargs={"pk": partner.pk})
    page = office.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and 'name="profile-ward_code"' in body and 'enctype="multipart/form-data"' in body
    assert "Xã Sốp Cộp" in body
    data = {**posted(page.context["form"]), **posted(page.context["profile_form"], "profile-")}
    data.setdefault("postcode", "")  # optional for Vietnamese addresses (shop/address/postcodes.py)
    data.update({"profile-kind": "enterprise", "profile-ward_code": ward_code("Xã Mường La"),
                 "profile-phone": "0212 3850 999", "profile-contact_email": "honey@sopcop.example",
                 "profile-story": "Ong nuôi dưới tán rừng.",
                 "profile-logo": SimpleUploadedFile("logo.png", png(), content_type="image/png")})
    response = office.post(url, data)
    assert response.status_code == 302, (response.context["form"].errors, response.context["profile_form"].errors)
    partner.refresh_from_db()
    assert (partner.kind, partner.commune, partner.phone, partner.contact_email) == (
        "enterprise", "Xã Mường La", "0212 3850 999", "honey@sopcop.example")
    assert partner.logo.name.startswith("producers/")


def test_bad_profile_values_show_on_the_form_and_save_nothing(office):
    partner = Partner.objects.get(code="sop-cop-honey")
    url = reverse("dashboard:partner-manage", kwargs={"pk": partner.pk})
    page = office.get(url)
    data = {**posted(page.context["form"]), **posted(page.context["profile_form"], "profile-")}
    data.update({"profile-contact_email": "not-an-email", "profile-ward_code": "1", "name": "Renamed"})
    response = office.post(url, data)
    assert response.status_code == 200
    errors = response.context["profile_form"].errors
    assert "contact_email" in errors and "ward_code" in errors
    partner.refresh_from_db()
    assert partner.name != "Renamed" and partner.contact_email == ""

"""The public list of OCOP showrooms."""
import pytest

from core.places import son_la_wards
from showrooms.models import Showroom
from tests.catalog_ext.storefront.helpers import body

pytestmark = pytest.mark.django_db


def test_the_demo_has_sơn_la_s_12_showrooms_in_real_communes():
    showrooms = list(Showroom.objects.active())

    assert len(showrooms) == 12
    wards = dict(son_la_wards())
    assert all(s.ward_code in wards for s in showrooms)
    assert all(s.slug.startswith("demo-") and s.street.endswith("(demo)") for s in showrooms)


def test_the_list_shows_address_hours_and_a_phone_link(client):
    page = body(client.get("/showrooms/"))

    assert page.count('data-showroom="') == 12
    assert "Điểm OCOP Mộc Châu" in page
    assert "Số 15 đường 19/5 (demo), Phường Mộc Châu, Sơn La" in page
    assert "Thứ Hai – Chủ Nhật: 7:30 – 21:00" in page
    assert 'href="tel:02123862004"' in page
    assert 'name="viewport"' in page  # Oscar's responsive layout


def test_a_closed_showroom_is_not_listed(client):
    Showroom.objects.filter(slug="demo-ta-xua").update(is_active=False)

    page = body(client.get("/showrooms/"))

    assert "Tà Xùa" not in page
    assert page.count('data-showroom="') == 11

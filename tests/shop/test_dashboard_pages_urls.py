"""The office's flat page editor: a page id that is no number is a 404, not a 500 (bad-input crawl)."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/dashboard/pages/update/abc/", "/dashboard/pages/delete/%27%25_/",
                                  "/dashboard/pages/update/C%C3%A0/"])
def test_a_page_id_that_is_no_number_is_not_found(client, path):
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))

    assert client.get(path).status_code == 404


def test_a_real_page_still_opens_for_editing(client):
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    page = FlatPage.objects.create(url="/about-us/", title="Về chúng tôi", content="x")

    response = client.get(f"/dashboard/pages/update/{page.pk}/")

    assert response.status_code == 200
    assert "Về chúng tôi" in response.content.decode()

"""The office's option and attribute option group pages: a pk that is no number is a 404, not a 500."""
import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/dashboard/catalogue/option/abc/update/",
                                  "/dashboard/catalogue/option/%27%25_/delete/",
                                  "/dashboard/catalogue/attribute-option-group/C%C3%A0/update/",
                                  "/dashboard/catalogue/attribute-option-group/x/delete/"])
def test_a_pk_that_is_no_number_is_not_found(client, path):
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))

    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/dashboard/catalogue/product-type/create/", "/dashboard/catalogue/product-type/1/update/"])
def test_the_product_type_form_still_links_its_options_by_the_fk_placeholder(client, path):
    # Oscar's related-object widget reverses option-update/-delete with pk="__fk__" for its script
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))

    response = client.get(path)

    assert response.status_code == 200
    assert "/dashboard/catalogue/attribute-option-group/__fk__/update/" in response.content.decode()


def test_the_fk_placeholder_itself_is_not_found(client):
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))

    assert client.get("/dashboard/catalogue/option/__fk__/update/").status_code == 404

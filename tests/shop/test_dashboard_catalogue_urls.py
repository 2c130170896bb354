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

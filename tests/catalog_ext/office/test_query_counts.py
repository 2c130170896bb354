"""Office lists cost the same number of queries for one row as for a full page."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name, few, many", [
    ("ocop-certificate-list", "?stars=5", ""),
    ("ocop-licence-list", "?gi=3", ""),
])
def test_list_queries_do_not_grow_with_rows(office, name, few, many):
    url = reverse(f"dashboard:{name}")
    office.get(url)  # warm the session and the menu
    assert queries(office, url + few) == queries(office, url + many)


def test_certificate_list_page_query_budget(office, django_assert_max_num_queries):
    url = reverse("dashboard:ocop-certificate-list")
    office.get(url)
    with django_assert_max_num_queries(8):
        office.get(url)

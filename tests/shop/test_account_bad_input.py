"""Three of Oscar's account pages answered bad input with a 500 (found by the bad-input crawl):
a wish list for a product that is gone, a notification id that is no number, an order line's page."""
import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from tests.catalog_ext.storefront.test_orders import place_order

pytestmark = pytest.mark.django_db
Notification = get_model("communication", "Notification")


@pytest.fixture
def customer(client):
    user = get_user_model().objects.get(email="khach@ocop.demo")
    client.force_login(user)
    return user


def test_a_wish_list_for_a_product_that_is_gone_sends_to_the_empty_wish_list_form(client, customer):
    response = client.get("/accounts/wishlists/create/with-product/999999999/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/wishlists/create/"


def test_a_notification_id_that_is_no_number_is_ignored_and_the_real_ones_archived(client, customer):
    mine = Notification.objects.create(recipient=customer, subject="Tin mới", body="Xin chào")

    response = client.post("/accounts/notifications/update/",
                           {"action": "archive", "selected_notification": ["abc", "' OR 1=1--", str(mine.pk)]})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.location == Notification.ARCHIVE


def test_only_bad_notification_ids_archive_nothing(client, customer):
    mine = Notification.objects.create(recipient=customer, subject="Tin mới", body="Xin chào")

    response = client.post("/accounts/notifications/update/", {"action": "archive", "selected_notification": "abc"})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.location == Notification.INBOX


def test_an_order_lines_page_sends_to_its_order(client, customer):
    order = place_order(user=customer)
    line = order.lines.first()

    response = client.get(f"/accounts/orders/{order.number}/{line.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/orders/{order.number}/"


def test_a_line_that_is_not_the_orders_is_not_found(client, customer):
    order = place_order(user=customer)

    assert client.get(f"/accounts/orders/{order.number}/999999999/").status_code == 404

"""After buying, a guest can find the order again: a signed link on the thank-you page, and a
"track an order" link on every page."""
import re

import pytest

from tests.checkout.payment_methods.checkout import checkout

pytestmark = pytest.mark.django_db


def test_thank_you_page_links_to_the_orders_own_status_page(client):
    response, order = checkout(client, "cod")
    page = client.get(response["Location"]).content.decode()
    link = re.search(r'href="([^"]+)" class="ocop-track-link"', page).group(1)
    status = client.get(link)
    assert status.status_code == 200
    assert order.number in status.content.decode()


def test_every_page_offers_order_tracking_producers_and_showrooms(client):
    page = client.get("/").content.decode()
    for url in ("/orders/track/", "/producers/", "/showrooms/"):
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200

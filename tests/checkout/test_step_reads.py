"""Each checkout step lists the shipping methods once (shop/checkout/session.py
`listed_shipping_methods`): the step's own list and the session's chosen method were two listings,
each reading the showrooms (issue 21); the lines' product classes are read with the lines. Fails on the old views: the showrooms were read twice on the
address, shipping-method and payment steps."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.checkout.payment_methods.checkout import choose_payment, start_guest_checkout
from tests.speed.counting import data_queries

pytestmark = pytest.mark.django_db


def test_every_step_reads_the_showrooms_once(client):
    start_guest_checkout(client)
    assert choose_payment(client, "cod").status_code == 302
    for name in ("checkout:shipping-address", "checkout:shipping-method", "checkout:payment-method",
                 "checkout:preview"):
        client.get(reverse(name))
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse(name))
        assert page.status_code in (200, 302), name
        showrooms = [sql for sql in data_queries(captured) if 'FROM "showrooms_showroom"' in sql]
        assert len(showrooms) <= 1, (name, len(showrooms))
        # the products' class comes with the lines (shop/basket/models.py all_lines), not read again
        assert [sql for sql in data_queries(captured) if 'FROM "catalogue_productclass"' in sql] == [], name


def test_the_address_step_still_offers_every_showroom(client):
    from showrooms.models import Showroom

    start_guest_checkout(client)
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    showrooms = list(Showroom.objects.active())
    assert showrooms
    for showroom in showrooms:
        assert f'id="pickup_showroom_{showroom.pk}"' in page

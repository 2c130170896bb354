"""The producer of a pick-up order brings the goods to the showroom: the portal says which one
and where, never the shopper's home, and offers no courier."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from producer_portal import fulfilment
from tests.catalog_ext.storefront.helpers import body

from .world import place_pickup

pytestmark = pytest.mark.django_db


@pytest.fixture
def producer_user(desk):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(username="htx-pickup", email="htx.pickup@example.vn", password="x-Secret-1")
    user.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    desk.producer.users.add(user)
    return user


def test_the_portal_shows_the_showroom_and_its_address_and_no_courier_form(desk, client, producer_user):
    order = place_pickup(desk.showroom, [(desk.tea, 1)])
    client.force_login(producer_user)

    page = body(client.get(reverse("dashboard:producer-order", kwargs={"number": order.number})))

    assert 'id="deliver-to-showroom"' in page and desk.showroom.name in page and desk.showroom.address in page
    assert 'id="ship-to"' not in page and "Lò Thị Mai" not in page
    assert 'value="ship"' not in page and 'name="carrier"' not in page
    assert 'value="pack"' in page


def test_marking_a_pick_up_shipped_is_refused(desk):
    order = place_pickup(desk.showroom, [(desk.tea, 1)])

    with pytest.raises(ValidationError, match="không cần giao qua đơn vị vận chuyển|no courier"):
        fulfilment.mark_shipped(order=order, partner=desk.producer, carrier="VNPost")

"""The producer portal's "Create waybill", label and cancel, as a producer uses them."""
import pytest
from django.urls import reverse

from carriers.base import CarrierStatus
from carriers.models import Shipment

from .orders import delivery_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def producer(client, django_user_model):
    user = django_user_model.objects.get(email="htx.chiengmai@ocop.demo")
    client.force_login(user)
    return user.partners.get()


def own_order(producer):
    order = delivery_order()
    assert order.lines.filter(partner=producer).exists()
    return order


def urls(order):
    kw = {"number": order.number}
    return (reverse("dashboard:producer-order", kwargs=kw), reverse("dashboard:producer-waybill-create", kwargs=kw),
            reverse("dashboard:producer-waybill-label", kwargs=kw), reverse("dashboard:producer-waybill-cancel",
                                                                             kwargs=kw))


def test_create_print_and_cancel_a_waybill(client, producer, ghtk, mapped):
    order = own_order(producer)
    page, create, label, cancel = urls(order)
    assert create in client.get(page).content.decode()

    created = client.post(create, follow=True)
    shipment = Shipment.objects.get(order=order, partner=producer)
    pdf = client.get(label)
    shown = client.get(page).content.decode()
    cancelled = client.post(cancel, follow=True)

    assert created.status_code == 200 and shipment.waybill in created.content.decode()
    assert f'data-waybill="{shipment.waybill}"' in shown and label in shown
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (200, "application/pdf", b"%PDF-")
    assert cancelled.status_code == 200
    shipment.refresh_from_db()
    assert shipment.status == CarrierStatus.CANCELLED
    assert create in client.get(page).content.decode()  # may create a new one, or ship by hand


def test_a_carrier_that_fails_at_creation_shows_a_message_not_a_500(client, producer, ghn, mapped):
    order = own_order(producer)
    page, create, label, _cancel = urls(order)
    ghn.fail(500)

    response = client.post(create, follow=True)

    assert response.status_code == 200
    assert "data-waybill-error" in response.content.decode()
    assert client.get(label).status_code == 404  # no waybill yet: nothing to print


def test_another_producer_cannot_create_a_waybill_for_my_lines(client, django_user_model, ghn, mapped):
    mine = django_user_model.objects.get(email="htx.chiengmai@ocop.demo").partners.get()
    order = delivery_order(lines=(("CF-001", 1),))
    assert set(order.lines.values_list("partner", flat=True)) == {mine.pk}
    client.force_login(django_user_model.objects.get(email="mocchau.tea@ocop.demo"))
    _page, create, label, cancel = urls(order)
    assert [client.post(create).status_code, client.get(label).status_code, client.post(cancel).status_code] == [
        404, 404, 404]
    assert not Shipment.objects.exists()


def test_without_a_carrier_the_page_offers_only_the_manual_path(client, producer, no_carrier):
    order = own_order(producer)
    page, create, *_ = urls(order)
    html = client.get(page).content.decode()
    assert create not in html and 'value="ship"' in html

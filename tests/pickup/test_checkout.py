"""A shopper picks up at a showroom: name and phone only, where and when, how to pay; the
order reserves the shelf's units when the showroom has them, else waits for the producer."""
import pytest
from django.urls import reverse

from pickups.models import Pickup, State
from showrooms.models import Showroom
from tests.catalog_ext.storefront.helpers import body

from .world import CONTACT, checkout_pickup, guest_to_pickup, net, not_on_shelf, producer_record, shelf_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def moc_chau():
    return Showroom.objects.get(slug="demo-moc-chau")


def test_the_first_step_offers_pick_up_with_name_phone_showroom_address_and_hours(client, moc_chau):
    product = shelf_of(moc_chau)[0].product
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "a@example.vn", "options": "anonymous"})

    page = body(client.get(reverse("checkout:shipping-address")))
    pickup = page.split('id="pickup"')[1].split("</section>")[0]

    assert "Nhận tại điểm trưng bày OCOP" in pickup
    assert 'name="full_name"' in pickup and 'name="phone_number"' in pickup
    assert 'name="line1"' not in pickup and 'name="province"' not in pickup  # no home address
    assert "Số 15 đường 19/5 (demo), Phường Mộc Châu, Sơn La" in pickup
    assert "Thứ Hai – Chủ Nhật: 7:30 – 21:00" in pickup
    assert "tiền mặt, VietQR hoặc thẻ" in pickup


def test_pick_up_goes_straight_to_payment_where_the_courier_is_never_mentioned(client, moc_chau):
    product = shelf_of(moc_chau)[0].product
    response = guest_to_pickup(client, moc_chau, [(product, 1)])
    assert response["Location"] == reverse("checkout:payment-method")

    page = body(client.get(reverse("checkout:payment-method")))

    assert 'value="counter"' in page and 'value="cod"' not in page
    assert "Trả tiền tại điểm khi nhận hàng" in page
    assert "tiền mặt, VietQR hoặc thẻ" in page
    assert "người giao hàng" not in page.lower() and "cho xem hàng" not in page


def test_cash_on_delivery_is_refused_for_a_pick_up(client, moc_chau):
    guest_to_pickup(client, moc_chau, [(shelf_of(moc_chau)[0].product, 1)])

    response = client.post(reverse("checkout:payment-method"), {"method": "cod"})

    assert "Vui lòng chọn một trong các phương thức thanh toán" in body(response)
    assert client.session["checkout_data"].get("payment", {}).get("payment_method") is None


def test_the_preview_says_where_when_and_how_to_pay_and_shows_no_home_address(client, moc_chau):
    product = shelf_of(moc_chau)[0].product
    guest_to_pickup(client, moc_chau, [(product, 1)])
    client.post(reverse("checkout:payment-method"), {"method": "counter"})

    page = body(client.get(reverse("checkout:preview")))

    assert 'data-pickup-showroom="demo-moc-chau"' in page
    assert "Điểm OCOP Mộc Châu" in page and "7:30 – 21:00" in page
    assert "Lò Thị Mai" in page and "987 654 321" in page
    assert "Trả tại quầy khi nhận hàng" in page
    assert "người giao hàng" not in page.lower()


@pytest.mark.parametrize("bad, message", [
    ({"phone_number": "12345"}, "Số điện thoại không hợp lệ."),
    ({"full_name": "   "}, "Nhập họ tên người nhận hàng."),
    ({"showroom": "999999"}, "Hãy chọn điểm trưng bày trong danh sách."),
    ({"showroom": ""}, "Hãy chọn điểm trưng bày nơi bạn sẽ nhận hàng."),
])
def test_a_bad_pick_up_form_says_what_to_fix_and_stores_nothing(client, moc_chau, bad, message):
    product = shelf_of(moc_chau)[0].product
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "a@example.vn", "options": "anonymous"})

    response = client.post(reverse("checkout:pickup-contact"), {**CONTACT, "showroom": moc_chau.pk, **bad})

    assert message in body(response)
    assert "method_code" not in client.session["checkout_data"].get("shipping", {})


def test_an_order_of_goods_on_the_shelf_reserves_the_shelf_and_is_ready_today(client, moc_chau):
    shelf = shelf_of(moc_chau)[0]
    producer = producer_record(shelf.product)
    before_shelf, before_producer = net(shelf), net(producer)

    order = checkout_pickup(client, moc_chau, [(shelf.product, 2)])

    assert order.pickup_showroom == moc_chau and order.status == "Processing"
    assert order.payment_choice.method == "counter"
    pickup = Pickup.objects.get(order=order)
    assert (pickup.state, pickup.from_shelf, pickup.phone) == (State.READY, True, "0987654321")
    assert net(shelf) == (before_shelf[0], before_shelf[1] + 2)
    assert net(producer) == before_producer  # the producer is not asked for anything
    assert not order.producer_notifications.exists()
    line = order.lines.get()
    assert line.stockrecord_id == shelf.pk and line.partner_id == moc_chau.partner_id
    assert order.communication_events.filter(event_type__code="ORDER_READY").exists()


def test_an_order_of_goods_off_the_shelf_waits_for_the_producer_who_is_told(client, moc_chau):
    product = not_on_shelf(moc_chau)
    record = producer_record(product)
    before = net(record)

    order = checkout_pickup(client, moc_chau, [(product, 1)])

    pickup = Pickup.objects.get(order=order)
    assert (pickup.state, pickup.from_shelf) == (State.WAITING, False)
    assert net(record) == (before[0], before[1] + 1)
    assert order.producer_notifications.filter(partner_id=product.producer_id).count() == 1
    assert not order.communication_events.filter(event_type__code="ORDER_READY").exists()


def test_the_thank_you_page_says_where_and_that_it_is_paid_at_the_counter(client, moc_chau):
    shelf = shelf_of(moc_chau)[0]
    checkout_pickup(client, moc_chau, [(shelf.product, 1)])

    page = body(client.get(reverse("checkout:thank-you")))

    assert 'data-pickup-showroom="demo-moc-chau"' in page and "7:30 – 21:00" in page
    assert "Trả tại quầy khi nhận hàng" in page
    assert "Đã sẵn sàng: bạn có thể đến nhận ngay hôm nay." in page
    assert "người giao hàng" not in page.lower()


def test_choosing_delivery_after_pick_up_asks_for_the_home_address(client, moc_chau):
    product = shelf_of(moc_chau)[0].product
    guest_to_pickup(client, moc_chau, [(product, 1)])

    response = client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})

    assert response.status_code == 302 and response["Location"] == reverse("checkout:shipping-address")
    assert "new_address_fields" not in client.session["checkout_data"].get("shipping", {})

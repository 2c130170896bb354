"""The buttons of each channel: the producer's portal, the office's order page and returns list,
the shopper's order page. Each answers bad input with a message, never a 500, and writes nothing."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from shop.order import lifecycle, services, statuses

from .conftest import A_SKU, B_SKU, line_of, place_order, record, ship_all

pytestmark = pytest.mark.django_db
LineReturn = get_model("order", "LineReturn")


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def portal(order):
    return reverse("dashboard:producer-order", kwargs={"number": order.number})


def office_page(order):
    return reverse("dashboard:order-detail", kwargs={"number": order.number})


def test_a_producer_marks_their_parcel_delivered_with_the_cash_and_sees_only_their_lines(client_a):
    order = ship_all(place_order((A_SKU, 1), (B_SKU, 1)))
    coffee, tea = line_of(order, A_SKU), line_of(order, B_SKU)
    page = client_a.get(portal(order)).content.decode()
    assert 'id="door-form"' in page and f'data-door-line="{coffee.pk}"' in page
    assert f'data-door-line="{tea.pk}"' not in page  # another producer's line
    assert "Đánh dấu đã giao" in page and "Khách từ chối nhận / hoàn về" in page
    assert "Tiền cần thu cho các dòng hàng này: " in page

    # Ticking the other producer's line: refused, nothing written
    answer = client_a.post(portal(order), {"action": "deliver", "door_line": [coffee.pk, tea.pk]}, follow=True)
    assert answer.status_code == 200 and "Một số dòng này không phải của bạn." in " ".join(messages_of(answer))
    assert order.payment_events.count() == 0

    form = {"action": "deliver", "door_line": [coffee.pk], "cod_amount": str(int(coffee.line_price_incl_tax)),
            "cod_reference": "BN-001"}
    answer = client_a.post(portal(order), form, follow=True)
    assert "Đã đánh dấu 1 dòng hàng đã giao." in messages_of(answer)
    again = client_a.post(portal(order), form, follow=True)  # the same form sent twice
    assert "Không có gì thay đổi" in " ".join(messages_of(again))
    assert list(order.payment_events.values_list("reference", flat=True)) == ["BN-001"]
    assert line_of(order, A_SKU).status == statuses.LINE_DELIVERED
    assert line_of(order, B_SKU).status == statuses.LINE_SHIPPED


@pytest.mark.parametrize("form", [
    {"action": "deliver", "cod_amount": "abc"},
    {"action": "deliver", "cod_amount": "-5"},
    {"action": "deliver", "cod_amount": "99999999999"},
    {"action": "deliver", "door_line": ["x", "0"]},
    {"action": "refuse", "reason": ""},
    {"action": "receive_back"},
    {"action": "receive_return", "return": "abc"},
])
def test_bad_portal_input_gets_a_message_and_writes_nothing(client_a, form):
    order = ship_all(place_order((A_SKU, 1)))
    answer = client_a.post(portal(order), form, follow=True)
    assert answer.status_code == 200
    assert any(m.level_tag in ("danger", "error") for m in answer.context["messages"])
    assert order.payment_events.count() == 0 and line_of(order, A_SKU).status == statuses.LINE_SHIPPED


def test_a_producer_receives_a_refused_parcel_back_with_damaged_units(client_a):
    order = ship_all(place_order((A_SKU, 2)))
    coffee = line_of(order, A_SKU)
    client_a.post(portal(order), {"action": "refuse", "door_line": [coffee.pk], "reason": "Khách đi vắng"})
    page = client_a.get(portal(order)).content.decode()
    assert f'data-refused-line="{coffee.pk}"' in page and "Đã nhận lại hàng" in page
    before = record(A_SKU).num_in_stock
    answer = client_a.post(portal(order), {"action": "receive_back", "door_line": [coffee.pk],
                                           f"damaged-{coffee.pk}": "1", "reason": "Vỡ một hộp"}, follow=True)
    assert "Đã nhận lại 1 dòng hàng." in messages_of(answer)
    order.refresh_from_db()
    assert order.status == statuses.RETURNED and record(A_SKU).num_in_stock == before + 1


def test_the_office_records_delivery_refusal_and_answers_a_return(office, shopper):
    order = ship_all(place_order((A_SKU, 2), (B_SKU, 1), user=shopper))
    staff = signed_in(office)
    page = staff.get(office_page(order)).content.decode()
    assert 'id="door-form"' in page and "Giao tận nơi" in page
    tea, coffee = line_of(order, B_SKU), line_of(order, A_SKU)
    staff.post(office_page(order), {"order_action": "refuse_lines", "door_line": [tea.pk], "reason": "Khách không lấy chè"})
    answer = staff.post(office_page(order), {"order_action": "deliver_lines", "door_line": [coffee.pk],
                                             "cod_reference": "PT-77"}, follow=True)
    assert "Đã đánh dấu 1 dòng hàng đã giao." in messages_of(answer)
    order.refresh_from_db()
    assert order.status == statuses.DELIVERED and services.is_paid(order)
    assert services.amount_paid(order) == order.total_incl_tax - tea.line_price_incl_tax

    # Oscar's own status form cannot jump past the lifecycle
    other = ship_all(place_order((A_SKU, 1)))
    answer = staff.post(office_page(other), {"order_action": "change_order_status",
                                             "new_status": statuses.DELIVERED}, follow=True)
    other.refresh_from_db()
    assert other.status == statuses.SHIPPED and "Giao tận nơi" in " ".join(messages_of(answer))

    # The shopper asks to return a coffee, with a photo
    shopper_client = signed_in(shopper)
    account_page = shopper_client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert "Yêu cầu trả hàng" in account_page.content.decode()
    gif = SimpleUploadedFile("vo.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01"
                             b"\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
                             content_type="image/gif")
    url = reverse("account-order-line-return", kwargs={"order_number": order.number, "line_id": coffee.pk})
    answer = shopper_client.post(url, {"quantity": "1", "reason": "Hộp bị móp", "photo": gif}, follow=True)
    assert "Chúng tôi đã nhận yêu cầu trả hàng của bạn" in " ".join(messages_of(answer))
    asked = LineReturn.objects.get(line=coffee)
    assert asked.photo.name.startswith("returns/")
    too_many = shopper_client.post(url, {"quantity": "5", "reason": "x"}, follow=True)
    assert too_many.status_code == 200 and LineReturn.objects.filter(line=coffee).count() == 1
    not_a_photo = shopper_client.post(url, {"quantity": "1", "reason": "x",
                                            "photo": SimpleUploadedFile("a.jpg", b"not an image")}, follow=True)
    assert not_a_photo.status_code == 200 and LineReturn.objects.filter(line=coffee).count() == 1
    assert Client().post(url, {"quantity": "1", "reason": "x"}).status_code == 302  # signed out: to sign in
    stranger = signed_in(office)  # not the shopper's order: 404
    assert stranger.post(url, {"quantity": "1", "reason": "x"}).status_code == 404

    # The office sees it in the returns list and accepts it with a bank refund
    listing = staff.get(reverse("dashboard:order-returns")).content.decode()
    assert f'data-return="{asked.pk}"' in listing and "Đang chờ chúng tôi trả lời" in listing
    no_ref = staff.post(office_page(order), {"order_action": "accept_return", "return": asked.pk,
                                             "refund_amount": "1000"}, follow=True)
    assert "mã" in " ".join(messages_of(no_ref))
    too_much = staff.post(office_page(order), {"order_action": "accept_return", "return": asked.pk,
                                               "refund_amount": str(int(order.total_incl_tax) * 2),
                                               "refund_reference": "CK-1"}, follow=True)
    assert "không thể hoàn nhiều hơn" in " ".join(messages_of(too_much))
    value = int(lifecycle.refund_value(asked))
    staff.post(office_page(order), {"order_action": "accept_return", "return": asked.pk,
                                    "refund_amount": str(value), "refund_reference": "CK-1"})
    staff.post(office_page(order), {"order_action": "accept_return", "return": asked.pk,
                                    "refund_amount": str(value), "refund_reference": "CK-2"})  # twice
    asked.refresh_from_db()
    assert asked.status == LineReturn.ACCEPTED and asked.refund_reference == "CK-1"
    assert order.payment_events.filter(event_type__name="Refunded").count() == 1
    shown = shopper_client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert "Đã chấp nhận và hoàn tiền" in shown

    # The producer receives the goods back from their portal
    producer = signed_in(coffee.partner.users.first())
    producer.post(portal(order), {"action": "receive_return", "return": asked.pk, "damaged": "0"})
    asked.refresh_from_db()
    assert asked.status == LineReturn.RECEIVED and asked.restocked == 1


@pytest.mark.parametrize("form", [
    {"order_action": "deliver_lines", "door_line": ["abc"]},
    {"order_action": "deliver_lines", "cod_amount": "1.5"},
    {"order_action": "refuse_lines"},
    {"order_action": "receive_back_lines", "damaged-1": "x"},
    {"order_action": "accept_return", "return": "999999999999999999999"},
    {"order_action": "refuse_return", "return": "abc"},
    {"order_action": "receive_return"},
    {"order_action": "record_cod_collected", "amount": "99999999"},
])
def test_bad_office_input_gets_a_message_and_writes_nothing(office, form):
    order = ship_all(place_order((A_SKU, 1)))
    answer = signed_in(office).post(office_page(order), form, follow=True)
    assert answer.status_code == 200
    assert any(m.level_tag in ("danger", "error") for m in answer.context["messages"])
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED and order.payment_events.count() == 0

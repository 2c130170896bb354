"""A producer sees their own lines of an order and ships them; the order follows when every
producer has shipped, and the shopper hears of it once."""
import pytest
from django.core import mail
from django.urls import reverse

from shop.order import statuses

from .conftest import order_of

pytestmark = pytest.mark.django_db


def test_a_producer_sees_only_their_lines_and_subtotal(client_a):
    order = order_of(("CF-002", 2), ("TE-002", 1))
    page = client_a.get(reverse("dashboard:producer-order", kwargs={"number": order.number}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cà phê Arabica Sơn La hạt rang 250g" in html and "Chè Ô long" not in html and "TE-002" not in html
    lines = order.lines.filter(partner__code="chieng-mai-coffee")
    subtotal = f"{int(sum(line.line_price_incl_tax for line in lines)):,}".replace(",", ".") + " ₫"
    assert page.context["subtotal"] == sum(line.line_price_incl_tax for line in lines)
    assert subtotal in html.replace("\xa0", " ")


def test_oscars_order_pages_send_a_producer_to_their_own(client_a):
    order = order_of(("CF-002", 1), ("TE-002", 1))
    detail = client_a.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    assert detail.status_code == 302 and detail["Location"] == reverse("dashboard:producer-order",
                                                                       kwargs={"number": order.number})
    their_line = order.lines.get(partner__code="moc-chau-tea")
    url = reverse("dashboard:order-line-detail", kwargs={"number": order.number, "line_id": their_line.pk})
    assert client_a.get(url).status_code == 404
    assert client_a.get(reverse("dashboard:order-list"))["Location"] == reverse("dashboard:producer-orders")
    assert client_a.get(reverse("dashboard:index"))["Location"] == reverse("dashboard:producer-home")
    # Changing the whole order's status is not a producer's to do
    changed = client_a.post(reverse("dashboard:order-detail", kwargs={"number": order.number}),
                            {"order_action": "change_order_status", "new_status": statuses.CANCELLED})
    order.refresh_from_db()
    assert changed.status_code == 302 and order.status == statuses.PROCESSING


def test_the_order_ships_when_every_producer_has_shipped(client_a, client_b, django_capture_on_commit_callbacks):
    order = order_of(("CF-002", 1), ("TE-002", 1))
    url = reverse("dashboard:producer-order", kwargs={"number": order.number})
    client_a.post(url, {"action": "pack"})
    a_line = order.lines.get(partner__code="chieng-mai-coffee")
    a_line.refresh_from_db()
    assert a_line.status == statuses.LINE_PACKED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(url, {"action": "ship", "carrier": "Viettel Post", "tracking_number": "VTP123456"})
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING and mail.outbox == []  # the tea is not shipped yet
    assert "VTP123456" in client_a.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client_b.post(url, {"action": "ship", "carrier": "VNPost", "tracking_number": "EV998877VN"})
        client_b.post(url, {"action": "ship", "carrier": "VNPost", "tracking_number": "again"})  # a double tap
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED
    assert set(order.lines.values_list("status", flat=True)) == {statuses.LINE_SHIPPED}
    assert [(e.event_type.name, e.notes) for e in order.shipping_events.order_by("pk")] == [
        ("Packed", ""), ("Shipped", "Viettel Post VTP123456"), ("Shipped", "VNPost EV998877VN")]
    shopper = [m for m in mail.outbox if m.to == ["khach@example.vn"]]
    assert len(shopper) == 1
    assert f"Đơn hàng {order.number}" in shopper[0].subject
    assert "VTP123456" in shopper[0].body and "EV998877VN" in shopper[0].body


def test_an_unpaid_order_cannot_be_shipped(client_a):
    order = order_of(("CF-002", 1))
    order.status = statuses.AWAITING_TRANSFER
    order.save()
    url = reverse("dashboard:producer-order", kwargs={"number": order.number})
    client_a.post(url, {"action": "ship", "carrier": "Viettel Post"})
    assert set(order.lines.values_list("status", flat=True)) == {statuses.LINE_NEW}
    assert "Mark shipped" not in client_a.get(url).content.decode()


def test_a_producer_cannot_ship_another_producers_line(client_a):
    order = order_of(("CF-002", 1), ("TE-002", 1))
    tea_line = order.lines.get(partner__code="moc-chau-tea")
    client_a.post(reverse("dashboard:producer-order", kwargs={"number": order.number}),
                  {"action": "ship", "carrier": "GHN", "line": [tea_line.pk]})
    tea_line.refresh_from_db()
    assert tea_line.status == statuses.LINE_NEW
    assert set(order.lines.values_list("status", flat=True)) == {statuses.LINE_NEW}

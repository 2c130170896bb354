"""A shopper asks to return a delivered line within the window; the office accepts (refunded the
way the order was paid: card through Stripe's refund API, transfer or COD with a reference) or
refuses; the goods come back and are restocked or written off."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model

from notifications.models import Kind, Notification
from shop.order import lifecycle, services, statuses
from shop.order.lifecycle import LifecycleError
from shop.payment import methods, stripe_checkout
from tests.checkout.stripe.conftest import event, send, shop_request

from .conftest import A_SKU, B_SKU, line_of, place_order, record, ship_all

pytestmark = pytest.mark.django_db
LineReturn = get_model("order", "LineReturn")
ShippingEvent = get_model("order", "ShippingEvent")


def delivered(order, **kwargs):
    order = ship_all(order)
    lifecycle.deliver(order=order, cod_reference=f"PT-{order.number}", **kwargs)
    order.refresh_from_db()
    return order


def test_a_return_asked_accepted_with_a_cod_refund_and_received_back(office, user_a, shopper,
                                                                       django_capture_on_commit_callbacks):
    order = delivered(place_order((A_SKU, 3), user=shopper))
    line = line_of(order, A_SKU)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asked = lifecycle.request_return(line=line, quantity=2, reason="Hai gói bị rách", user=shopper)
    assert asked.status == LineReturn.REQUESTED and lifecycle.returnable_quantity(line) == 1
    assert [m.subject for m in mail.outbox] == [f"Chúng tôi đã nhận yêu cầu đổi trả cho đơn hàng {order.number}"]

    with pytest.raises(LifecycleError, match="mã"):  # money handed back by a person: say how
        lifecycle.accept_return(line_return=asked, actor=office)
    value = lifecycle.refund_value(asked)
    assert value == line.line_price_incl_tax * 2 / 3
    with django_capture_on_commit_callbacks(execute=True):
        accepted = lifecycle.accept_return(line_return=asked, actor=office, refund_reference="CK-HOAN-01")
    assert accepted.status == LineReturn.ACCEPTED and accepted.refund_amount == value
    assert services.amount_paid(order) == order.total_incl_tax - value
    assert order.payment_events.filter(event_type__name="Refunded", reference="CK-HOAN-01").count() == 1
    assert any(m.subject == f"Yêu cầu đổi trả cho đơn hàng {order.number} đã được chấp nhận" for m in mail.outbox)
    assert Notification.objects.filter(order=order, kind=Kind.RETURN, partner=line.partner).count() == 1
    # A double-submitted accept refunds nothing twice.
    again = lifecycle.accept_return(line_return=asked, actor=office, refund_reference="CK-HOAN-02")
    assert again.refund_reference == "CK-HOAN-01"
    assert order.payment_events.filter(event_type__name="Refunded").count() == 1

    in_stock = record(A_SKU).num_in_stock
    lifecycle.receive_return(line_return=asked, actor=user_a, damaged=1, reason="Bao bì rách, không bán lại được")
    lifecycle.receive_return(line_return=asked, actor=user_a, damaged=1, reason="again")  # twice: nothing more
    asked.refresh_from_db()
    assert (asked.status, asked.restocked, asked.written_off) == (LineReturn.RECEIVED, 1, 1)
    assert record(A_SKU).num_in_stock == in_stock + 1


def test_returning_more_than_delivered_or_a_line_not_delivered_is_refused(shopper):
    order = delivered(place_order((A_SKU, 2), user=shopper))
    line = line_of(order, A_SKU)
    for quantity in (3, 0, -1, "abc"):
        with pytest.raises(LifecycleError, match="từ 1 đến 2"):
            lifecycle.request_return(line=line, quantity=quantity, reason="Hỏng", user=shopper)
    with pytest.raises(LifecycleError):
        lifecycle.request_return(line=line, quantity=1, reason="  ", user=shopper)
    lifecycle.request_return(line=line, quantity=2, reason="Hỏng", user=shopper)
    with pytest.raises(LifecycleError, match="đã yêu cầu"):  # the form sent twice
        lifecycle.request_return(line=line, quantity=2, reason="Hỏng", user=shopper)
    assert LineReturn.objects.filter(line=line).count() == 1
    shipped_only = ship_all(place_order((B_SKU, 1), user=shopper))
    with pytest.raises(LifecycleError, match="chưa được giao"):
        lifecycle.request_return(line=line_of(shipped_only, B_SKU), quantity=1, reason="x", user=shopper)


def test_a_return_after_the_window_is_refused(shopper, settings):
    settings.RETURN_WINDOW_DAYS = 3
    order = delivered(place_order((A_SKU, 1), user=shopper))
    line = line_of(order, A_SKU)
    assert lifecycle.return_deadline(line) > timezone.now() + dt.timedelta(days=2)
    ShippingEvent.objects.filter(order=order, event_type__name="Delivered").update(
        date_created=timezone.now() - dt.timedelta(days=4))
    assert not lifecycle.can_ask_return(line)
    with pytest.raises(LifecycleError, match="3 ngày"):
        lifecycle.request_return(line=line, quantity=1, reason="Hỏng", user=shopper)
    assert not LineReturn.objects.exists()


def test_a_refund_larger_than_paid_is_refused_and_a_refused_return_frees_the_units(office, shopper):
    order = delivered(place_order((A_SKU, 2), user=shopper))
    line = line_of(order, A_SKU)
    asked = lifecycle.request_return(line=line, quantity=1, reason="Hỏng", user=shopper)
    with pytest.raises(LifecycleError, match="không thể hoàn nhiều hơn"):
        lifecycle.accept_return(line_return=asked, actor=office, refund_amount=order.total_incl_tax + 1,
                                refund_reference="X")
    with pytest.raises(LifecycleError):
        lifecycle.accept_return(line_return=asked, actor=office, refund_amount=Decimal("10.5"), refund_reference="X")
    asked.refresh_from_db()
    assert asked.status == LineReturn.REQUESTED and order.payment_events.filter(event_type__name="Refunded").count() == 0
    with pytest.raises(LifecycleError):
        lifecycle.refuse_return(line_return=asked, actor=office, reason="")
    lifecycle.refuse_return(line_return=asked, actor=office, reason="Ảnh không cho thấy hư hỏng")
    assert lifecycle.returnable_quantity(line) == 2
    with pytest.raises(LifecycleError):
        lifecycle.accept_return(line_return=asked, actor=office, refund_reference="X")
    with pytest.raises(LifecycleError):
        lifecycle.receive_return(line_return=asked, actor=office)


def card_paid_order(fake_stripe, client, shopper):
    order = place_order((A_SKU, 2), method=methods.CARD, user=shopper)
    url = stripe_checkout.start_session(order=order, request=shop_request())
    session = fake_stripe.complete(url.rsplit("/", 1)[1])
    assert send(client, event("checkout.session.completed", session)).status_code == 200
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING
    return order, session


def test_a_card_return_is_refunded_through_stripe_once(fake_stripe, client, office, shopper):
    order, session = card_paid_order(fake_stripe, client, shopper)
    order = delivered(order)
    asked = lifecycle.request_return(line=line_of(order, A_SKU), quantity=1, reason="Vỡ", user=shopper)
    value = lifecycle.refund_value(asked)

    fake_stripe.fail(500, times=1)  # Stripe down: nothing recorded, the clerk is told to try again
    with pytest.raises(LifecycleError, match="Stripe"):
        lifecycle.accept_return(line_return=asked, actor=office)
    asked.refresh_from_db()
    assert asked.status == LineReturn.REQUESTED

    accepted = lifecycle.accept_return(line_return=asked, actor=office)
    sent = fake_stripe.refund_creations()[-1]
    assert sent.params["payment_intent"] == session["payment_intent"] and sent.params["amount"] == str(int(value))
    assert sent.idempotency_key == f"ocop-return-{asked.pk}-{int(value)}"
    assert accepted.refund_reference.startswith("re_test_") and accepted.refund_amount == value
    assert len(fake_stripe.refunds) == 1
    # Stripe's charge.refunded webhook for the same refund adds nothing.
    charge = {"id": "ch_1", "object": "charge", "payment_intent": session["payment_intent"],
              "amount_refunded": int(value), "currency": "vnd"}
    assert send(client, event("charge.refunded", charge)).status_code == 200
    assert order.payment_events.filter(event_type__name="Refunded").count() == 1
    assert services.amount_paid(order) == order.total_incl_tax - value


def test_a_card_refund_larger_than_the_charge_is_refused_by_stripe_and_by_us(fake_stripe, client, office, shopper):
    order, session = card_paid_order(fake_stripe, client, shopper)
    order = delivered(order)
    asked = lifecycle.request_return(line=line_of(order, A_SKU), quantity=1, reason="Vỡ", user=shopper)
    with pytest.raises(LifecycleError, match="không thể hoàn nhiều hơn"):
        lifecycle.accept_return(line_return=asked, actor=office, refund_amount=order.total_incl_tax + 1000)
    assert fake_stripe.refund_creations() == []

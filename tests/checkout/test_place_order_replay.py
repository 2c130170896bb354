""""Place order" pressed again after the first press made the order but its answer never arrived (the
worker died between the order's commit and its response): the shopper sees that order's thank-you
page, not an empty basket; the confirmation is an outbox row that beat sends. The real-worker,
PostgreSQL version of this fault is in tests/shop/test_faults.py."""
import datetime as dt
from unittest import mock

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from notifications import events, services
from notifications.models import Channel, Message, MessageStatus
from shop.payment import methods
from tests.checkout.payment_methods.checkout import (
    GUEST_EMAIL,
    choose_payment,
    choose_shipping_method,
    fill_basket,
    fill_shipping_address,
    place_order_data,
    start_guest_checkout,
)

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
pytestmark = pytest.mark.django_db


class WorkerKilled(Exception):
    """Stands for the process dying once the order committed: nothing of the response is kept."""


def press_place_order_and_lose_the_answer(client):
    preview = client.get(reverse("checkout:preview"))
    assert preview.status_code == 200
    data = place_order_data(preview)
    real = SessionMiddleware.process_response

    def dies_for_place_order(self, request, response):
        if request.method == "POST" and request.path == reverse("checkout:preview"):
            raise WorkerKilled  # after the view's transaction committed: no session saved, no cookie set
        return real(self, request, response)

    with mock.patch.object(SessionMiddleware, "process_response", dies_for_place_order):
        lost = client.post(reverse("checkout:preview"), data)
    assert lost.status_code == 500
    return data


def test_a_guest_pressing_place_order_again_sees_the_thank_you_page_of_the_order_made(settings):
    settings.DEBUG = False
    shopper = Client(raise_request_exception=False)
    start_guest_checkout(shopper)
    assert choose_payment(shopper, methods.COD).status_code == 302
    data = press_place_order_and_lose_the_answer(shopper)
    order = Order.objects.get(guest_email=GUEST_EMAIL)
    # The confirmation waits in the outbox, written in the order's transaction
    confirmation = Message.objects.get(order=order, event=events.ORDER_PLACED, channel=Channel.EMAIL)
    assert confirmation.status == MessageStatus.PENDING and confirmation.recipient == GUEST_EMAIL

    retried = shopper.post(reverse("checkout:preview"), data)
    assert retried.status_code == 302 and retried["Location"] == reverse("checkout:thank-you")
    page = shopper.get(retried["Location"])
    assert page.status_code == 200 and page.context["order"] == order
    assert str(order.number) in page.content.decode()
    assert Order.objects.count() == 1  # nothing was ordered twice

    # Beat, a minute later: the confirmation goes out, once
    services.resend_undelivered(older_than=dt.timedelta(0))
    services.resend_undelivered(older_than=dt.timedelta(0))
    assert [m.to for m in mail.outbox if str(order.number) in m.subject and "Xác nhận" in m.subject] == [[GUEST_EMAIL]]
    confirmation.refresh_from_db()
    assert confirmation.status == MessageStatus.SENT


def test_a_signed_in_shopper_pressing_place_order_again_sees_their_order(django_user_model, settings):
    settings.DEBUG = False
    user = django_user_model.objects.create_user(username="bam-lai", email="bamlai@example.vn", password="x-2026")
    shopper = Client(raise_request_exception=False)
    shopper.force_login(user)
    fill_basket(shopper)
    fill_shipping_address(shopper)
    choose_shipping_method(shopper)
    assert choose_payment(shopper, methods.COD).status_code == 302
    data = press_place_order_and_lose_the_answer(shopper)
    order = Order.objects.get(user=user)

    retried = shopper.post(reverse("checkout:preview"), data)
    assert retried.status_code == 302 and retried["Location"] == reverse("checkout:thank-you")
    assert shopper.get(retried["Location"]).context["order"] == order


def test_another_shopper_or_an_old_order_is_never_shown(django_user_model, settings):
    settings.DEBUG = False
    first = Client(raise_request_exception=False)
    start_guest_checkout(first)
    choose_payment(first, methods.COD)
    data = press_place_order_and_lose_the_answer(first)
    order = Order.objects.get(guest_email=GUEST_EMAIL)

    # A stranger replaying the same form (no basket cookie of that basket): the empty basket, as Oscar says
    stranger = Client()
    stranger.get(reverse("basket:summary"))
    replay = stranger.post(reverse("checkout:preview"), data)
    assert replay.status_code == 302 and replay["Location"] != reverse("checkout:thank-you")
    assert stranger.session.get("checkout_order_id") is None

    # The shopper themself, but after the replay window: no longer taken as a retry
    Basket.objects.filter(pk=order.basket_id).update(date_submitted=timezone.now() - dt.timedelta(hours=2))
    late = first.post(reverse("checkout:preview"), data)
    assert late.status_code == 302 and late["Location"] != reverse("checkout:thank-you")

"""Opening a Stripe Checkout Session for an order waiting for its card payment (fake Stripe on localhost)."""
import time
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from oscar.core.loading import get_model

from shop.order import statuses
from shop.payment import stripe_checkout
from shop.payment.stripe_models import StripeCheckout

from .conftest import SECRET_KEY, pending_order, shop_request

pytestmark = pytest.mark.django_db
Source = get_model("payment", "Source")


def test_session_charges_the_order_total_in_whole_dong(fake_stripe):
    order = pending_order()  # 185.000 + 2 × 75.000 + 35.000 shipping
    assert order.total_incl_tax == Decimal("370000.00")

    url = stripe_checkout.start_session(order=order, request=shop_request())

    [sent] = fake_stripe.session_creations()  # the library talked to the fake, nothing else
    params = sent.params
    assert sent.headers["authorization"] == f"Bearer {SECRET_KEY}"
    assert params["mode"] == "payment" and params["currency"] == "vnd"
    amounts = [(i["price_data"]["unit_amount"], i["quantity"]) for i in params["line_items"]]
    assert amounts == [("185000", "1"), ("75000", "2"), ("35000", "1")]  # đồng, no decimals
    assert sum(int(a) * int(q) for a, q in amounts) == 370000
    assert params["line_items"][0]["price_data"]["product_data"]["name"] == order.lines.first().title
    assert params["client_reference_id"] == params["metadata"]["order_number"] == str(order.number)
    assert params["customer_email"] == "khach.the@example.vn"
    assert params["success_url"] == "http://testserver/checkout/thank-you/?session_id={CHECKOUT_SESSION_ID}"
    assert params["cancel_url"].startswith("http://testserver/")
    session = fake_stripe.sessions[url.rsplit("/", 1)[1]]
    assert session["amount_total"] == 370000 and url == session["url"]
    assert url.startswith(fake_stripe.base_url)


def test_session_id_is_stored_and_the_card_shows_as_pending_source(fake_stripe):
    order = pending_order()

    url = stripe_checkout.start_session(order=order, request=shop_request())

    checkout = StripeCheckout.objects.get(order=order)
    assert checkout.session_id == url.rsplit("/", 1)[1]
    assert (checkout.status, checkout.amount, checkout.currency) == ("open", 370000, "vnd")
    source = Source.objects.get(order=order)
    assert source.source_type.name == "Stripe"
    assert (source.amount_allocated, source.amount_debited) == (Decimal(370000), 0)
    assert source.transactions.get().status == "pending"
    order.refresh_from_db()
    assert order.status == statuses.PENDING_PAYMENT


@pytest.mark.parametrize("minutes, expected", [(60, 60 * 60), (5, 31 * 60), (48 * 60, (23 * 60 + 59) * 60)])
def test_session_expiry_follows_the_setting_within_stripes_bounds(fake_stripe, settings, minutes, expected):
    settings.CARD_PAYMENT_MINUTES = minutes
    order = pending_order()
    before = int(time.time())

    stripe_checkout.start_session(order=order, request=shop_request())

    expires_at = int(fake_stripe.session_creations()[0].params["expires_at"])
    assert before + expected - 2 <= expires_at <= int(time.time()) + expected
    assert StripeCheckout.objects.get(order=order).status == "open"  # Stripe accepted it


def test_idempotency_key_is_stable_for_the_same_attempt(fake_stripe, settings):
    """Stripe answers 500 once; the library retries with the same key and the same body."""
    settings.STRIPE_MAX_NETWORK_RETRIES = 1
    fake_stripe.fail(status=500)
    order = pending_order()

    url = stripe_checkout.start_session(order=order, request=shop_request())

    first, second = fake_stripe.session_creations()
    assert first.idempotency_key == second.idempotency_key == f"ocop-order-{order.number}-session-1"
    assert first.form == second.form
    assert url == StripeCheckout.objects.get(order=order).url


def test_retrying_after_a_lost_answer_gets_the_same_session(fake_stripe):
    """Stripe created the session but the shop never heard: the same attempt asks again, same key."""
    order = pending_order()
    fake_stripe.fail(status=503, times=1)
    request = shop_request()
    stripe_checkout.start_session(order=order, request=request)
    assert StripeCheckout.objects.get(order=order).status == "creating"

    url = stripe_checkout.start_session(order=order, request=shop_request())

    failed, created = fake_stripe.session_creations()
    assert failed.idempotency_key == created.idempotency_key
    assert failed.form == created.form  # same parameters, as Stripe's idempotency requires
    assert StripeCheckout.objects.filter(order=order).count() == 1
    assert url == StripeCheckout.objects.get(order=order).url


def test_same_key_replays_the_same_session_like_stripe(fake_stripe):
    order = pending_order()
    stripe_checkout.start_session(order=order, request=shop_request())
    checkout = StripeCheckout.objects.get(order=order)
    StripeCheckout.objects.filter(pk=checkout.pk).update(status="creating", session_id=None)

    stripe_checkout.start_session(order=order, request=shop_request())

    assert len(fake_stripe.session_creations()) == 2
    assert len(fake_stripe.sessions) == 1  # Stripe replayed the first answer
    checkout.refresh_from_db()
    assert checkout.session_id in fake_stripe.sessions


def test_an_open_session_is_handed_out_again_without_calling_stripe(fake_stripe):
    order = pending_order()
    first = stripe_checkout.start_session(order=order, request=shop_request())

    again = stripe_checkout.start_session(order=order, request=shop_request())

    assert again == first
    assert len(fake_stripe.session_creations()) == 1


@pytest.mark.parametrize("status, kind", [(500, "api_error"), (400, "invalid_request_error"), (401, None)])
def test_stripe_errors_give_a_clear_message_and_keep_the_order_pending(fake_stripe, status, kind):
    order = pending_order()
    if kind:
        fake_stripe.fail(status=status, type=kind, message="Nope")
    else:
        fake_stripe.secret_key = "sk_test_another_account"  # our key is refused
    request = shop_request()

    url = stripe_checkout.start_session(order=order, request=request)

    assert url == "/checkout/thank-you/"
    assert request.session["checkout_order_id"] == order.pk
    [message] = [str(m) for m in get_messages(request)]
    assert str(order.number) in message
    assert "Nope" not in message  # Stripe's own wording is for the log, not the shopper
    order.refresh_from_db()
    assert order.status == statuses.PENDING_PAYMENT
    assert len(fake_stripe.session_creations()) == 1  # it reached the fake server, not the internet


def test_stripe_unreachable_keeps_the_order_pending(fake_stripe):
    order = pending_order()
    fake_stripe.stop()  # nothing listens on that port any more
    request = shop_request()

    url = stripe_checkout.start_session(order=order, request=request)

    assert url == "/checkout/thank-you/"
    assert [m.level_tag for m in get_messages(request)] == ["error"]
    order.refresh_from_db()
    assert order.status == statuses.PENDING_PAYMENT
    assert not Source.objects.filter(order=order).exists()


def test_no_session_for_an_order_not_waiting_for_a_card_payment(fake_stripe):
    order = pending_order()
    order.set_status(statuses.CANCELLED)
    request = shop_request()

    url = stripe_checkout.start_session(order=order, request=request)

    assert url == "/checkout/thank-you/"
    assert fake_stripe.session_creations() == []


def test_an_order_discount_becomes_one_line_with_the_exact_total(fake_stripe):
    order = pending_order(lines=(("CF-001", 1),))
    type(order).objects.filter(pk=order.pk).update(total_incl_tax=Decimal(200000), total_excl_tax=Decimal(200000))
    order.refresh_from_db()  # lines (185.000) + shipping (35.000) no longer add up: a 20.000 ₫ discount

    stripe_checkout.start_session(order=order, request=shop_request())

    [item] = fake_stripe.session_creations()[0].params["line_items"]
    assert item["price_data"]["unit_amount"] == "200000" and item["quantity"] == "1"
    assert str(order.number) in item["price_data"]["product_data"]["name"]

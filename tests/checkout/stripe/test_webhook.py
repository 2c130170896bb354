"""Stripe's webhook: signed for real with the test secret, replay-proof, and paid only when the money matches."""
import json
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from shop.order import statuses
from shop.payment import stripe_checkout
from shop.payment.stripe_models import StripeCheckout, StripeEvent

from .conftest import WEBHOOK_URL, event, pending_order, send, shop_request, sign

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
Source = get_model("payment", "Source")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def card_order(fake_stripe):
    """An order whose shopper is on Stripe's page: (order, session as the fake Stripe holds it)."""
    order = pending_order()
    url = stripe_checkout.start_session(order=order, request=shop_request())
    order = Order.objects.get(pk=order.pk)
    return order, fake_stripe.sessions[url.rsplit("/", 1)[1]]


def allocated(sku):
    return StockRecord.objects.get(partner_sku=sku).num_allocated or 0


def state(order):
    order.refresh_from_db()
    return order.status, order.payment_events.count(), order.notes.count(), StripeEvent.objects.count()


def test_paid_session_marks_the_order_paid(client, card_order, fake_stripe):
    order, session = card_order
    paid = fake_stripe.complete(session["id"])

    response = send(client, event("checkout.session.completed", paid))

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING
    [payment] = order.payment_events.all()
    assert (payment.event_type.name, payment.amount, payment.reference) == ("Paid", Decimal(370000),
                                                                            paid["payment_intent"])
    source = Source.objects.get(order=order)
    assert (source.source_type.name, source.amount_debited) == ("Stripe", Decimal(370000))
    assert StripeCheckout.objects.get(order=order).status == "paid"
    assert StripeEvent.objects.get().handled


def test_forged_signature_is_refused_and_changes_nothing(client, card_order, fake_stripe):
    order, session = card_order
    body = json.dumps(event("checkout.session.completed", fake_stripe.complete(session["id"])))
    before = state(order)

    forged = send(client, body, signature=sign(body, secret="whsec_someone_else"))
    missing = client.post(WEBHOOK_URL, data=body, content_type="application/json")
    tampered = send(client, body.replace("370000", "370001"), signature=sign(body))
    garbage = send(client, body, signature="t=abc,v1=zz")

    assert [r.status_code for r in (forged, missing, tampered, garbage)] == [400, 400, 400, 400]
    assert state(order) == before
    assert StripeEvent.objects.count() == 0


def test_old_signature_is_refused(client, card_order, fake_stripe):
    order, session = card_order
    body = json.dumps(event("checkout.session.completed", fake_stripe.complete(session["id"])))

    response = send(client, body, signature=sign(body, timestamp=1_700_000_000))

    assert response.status_code == 400
    assert state(order)[0] == statuses.PENDING_PAYMENT


def test_replayed_event_pays_once(client, card_order, fake_stripe):
    order, session = card_order
    paid = event("checkout.session.completed", fake_stripe.complete(session["id"]))

    responses = [send(client, paid) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert order.payment_events.count() == 1
    assert Source.objects.get(order=order).amount_debited == Decimal(370000)
    assert StripeEvent.objects.count() == 1


def test_the_same_payment_in_two_events_is_recorded_once(client, card_order, fake_stripe):
    order, session = card_order
    paid = fake_stripe.complete(session["id"])

    send(client, event("checkout.session.completed", paid))
    send(client, event("checkout.session.async_payment_succeeded", paid))

    assert order.payment_events.count() == 1
    assert StripeEvent.objects.count() == 2


@pytest.mark.parametrize("change", [{"amount_total": 369999}, {"amount_total": 3700000},
                                    {"currency": "usd"}, {"amount_total": "370000"}, {"amount_total": None}])
def test_money_that_does_not_match_is_not_a_payment(client, card_order, fake_stripe, change):
    order, session = card_order
    paid = dict(fake_stripe.complete(session["id"]), **change)

    response = send(client, event("checkout.session.completed", paid))

    assert response.status_code == 200  # recorded: Stripe must not send it again
    order.refresh_from_db()
    assert order.status == statuses.PENDING_PAYMENT
    assert order.payment_events.count() == 0
    [note] = order.notes.all()
    assert note.note_type == "Warning"
    assert note.message.startswith("Số tiền Stripe không khớp")
    assert StripeCheckout.objects.get(order=order).status == "mismatch"
    assert StripeEvent.objects.get().outcome == "amount mismatch"


def test_expired_session_cancels_the_order_and_gives_the_stock_back(client, fake_stripe):
    before = allocated("CF-001"), allocated("DF-003")
    order = pending_order()
    url = stripe_checkout.start_session(order=order, request=shop_request())
    assert (allocated("CF-001"), allocated("DF-003")) == (before[0] + 1, before[1] + 2)
    expired = dict(fake_stripe.sessions[url.rsplit("/", 1)[1]], status="expired")

    response = send(client, event("checkout.session.expired", expired))

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert (allocated("CF-001"), allocated("DF-003")) == before
    assert order.notes.filter(message__contains="Stripe").exists()
    assert StripeCheckout.objects.get(order=order).status == "expired"


def test_expiry_of_an_old_attempt_does_not_cancel_while_a_newer_one_is_open(client, fake_stripe):
    order = pending_order()
    stripe_checkout.start_session(order=order, request=shop_request())
    first = StripeCheckout.objects.get(order=order)
    StripeCheckout.objects.filter(pk=first.pk).update(status="failed")  # e.g. the bank refused it
    stripe_checkout.start_session(order=order, request=shop_request())
    assert StripeCheckout.objects.filter(order=order, status="open").count() == 1

    send(client, event("checkout.session.expired", dict(fake_stripe.sessions[first.session_id], status="expired")))

    order.refresh_from_db()
    assert order.status == statuses.PENDING_PAYMENT


def test_async_payment_waits_then_fails_with_a_note(client, card_order, fake_stripe):
    order, session = card_order
    submitted = fake_stripe.complete(session["id"], payment_status="unpaid")

    send(client, event("checkout.session.completed", submitted))
    assert StripeCheckout.objects.get(order=order).status == "processing"
    page = client.get("/checkout/thank-you/")  # another browser: no order to show
    assert page.status_code == 302

    response = send(client, event("checkout.session.async_payment_failed", submitted))

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == statuses.PENDING_PAYMENT
    assert order.payment_events.count() == 0
    assert order.notes.filter(note_type="Warning").count() == 1
    assert StripeCheckout.objects.get(order=order).status == "failed"


def test_async_payment_succeeded_marks_paid(client, card_order, fake_stripe):
    order, session = card_order
    submitted = fake_stripe.complete(session["id"], payment_status="unpaid")
    send(client, event("checkout.session.completed", submitted))
    assert state(order)[:2] == (statuses.PENDING_PAYMENT, 0)

    send(client, event("checkout.session.async_payment_succeeded", dict(submitted, payment_status="paid")))

    assert state(order)[:2] == (statuses.PROCESSING, 1)


def test_full_refund_before_shipping_cancels_and_records_it(client, card_order, fake_stripe):
    order, session = card_order
    paid = fake_stripe.complete(session["id"])
    send(client, event("checkout.session.completed", paid))
    before = allocated("CF-001")
    charge = {"id": "ch_test_1", "object": "charge", "payment_intent": paid["payment_intent"], "amount": 370000,
              "amount_refunded": 370000, "currency": "vnd", "refunded": True}

    responses = [send(client, event("charge.refunded", charge)) for _ in range(2)]

    assert [r.status_code for r in responses] == [200, 200]
    order.refresh_from_db()
    source = Source.objects.get(order=order)
    assert (source.amount_debited, source.amount_refunded) == (Decimal(370000), Decimal(370000))
    [refund] = order.payment_events.filter(event_type__name="Refunded")
    assert refund.amount == Decimal(370000)
    assert order.status == statuses.CANCELLED
    assert allocated("CF-001") == before - 1


def test_partial_refunds_add_up_and_keep_the_order(client, card_order, fake_stripe):
    order, session = card_order
    paid = fake_stripe.complete(session["id"])
    send(client, event("checkout.session.completed", paid))
    charge = {"id": "ch_test_2", "object": "charge", "payment_intent": paid["payment_intent"], "amount": 370000,
              "currency": "vnd", "refunded": False}

    send(client, event("charge.refunded", dict(charge, amount_refunded=35000)))
    send(client, event("charge.refunded", dict(charge, amount_refunded=110000)))  # a second refund, cumulative

    order.refresh_from_db()
    refunds = order.payment_events.filter(event_type__name="Refunded").order_by("pk")
    assert [r.amount for r in refunds] == [Decimal(35000), Decimal(75000)]
    assert Source.objects.get(order=order).amount_refunded == Decimal(110000)
    assert order.status == statuses.PROCESSING


def test_unknown_session_is_acknowledged_and_logged(client, fake_stripe, caplog):
    stranger = {"id": "cs_test_not_ours", "object": "checkout.session", "amount_total": 370000, "currency": "vnd",
                "payment_status": "paid", "metadata": {"order_number": "100001"}, "payment_intent": "pi_x"}
    orders_before = list(Order.objects.values_list("pk", "status"))

    response = send(client, event("checkout.session.completed", stranger))

    assert response.status_code == 200
    assert list(Order.objects.values_list("pk", "status")) == orders_before  # metadata alone proves nothing
    recorded = StripeEvent.objects.get()
    assert (recorded.handled, recorded.outcome) == (False, "unknown session")
    assert "unknown session" in caplog.text


def test_unhandled_event_type_is_acknowledged(client, fake_stripe):
    response = send(client, event("customer.created", {"id": "cus_1", "object": "customer"}))

    assert response.status_code == 200
    assert StripeEvent.objects.get().outcome == "ignored type"


@pytest.mark.parametrize("body", ["{not json", "[]", "null", '{"id": "evt_1", "type": "x"}',
                                  '{"id": 5, "type": "checkout.session.completed", "data": {"object": {}}}',
                                  '{"id": "evt_2", "type": "checkout.session.completed", "data": {"object": []}}'])
def test_bad_body_with_a_valid_signature_is_refused(client, fake_stripe, body):
    response = send(client, body)

    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_body_that_is_not_utf8_is_refused(client, fake_stripe):
    body = b'{"id": "evt_\xff"}'
    response = client.post(WEBHOOK_URL, data=body, content_type="application/json",
                           HTTP_STRIPE_SIGNATURE="t=1,v1=00")

    assert response.status_code == 400


def test_webhook_is_post_only(client, fake_stripe):
    assert client.get(WEBHOOK_URL).status_code == 405


def test_strange_values_in_a_signed_session_never_give_a_500(client, card_order, fake_stripe):
    order, session = card_order
    odd = dict(fake_stripe.complete(session["id"]), payment_intent={"id": 7}, metadata="x", amount_total=True)

    responses = [send(client, event(kind, odd)) for kind in (
        "checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.expired")]
    refund = send(client, event("charge.refunded", {"id": "ch", "payment_intent": ["pi"], "amount_refunded": "x"}))

    assert [r.status_code for r in responses + [refund]] == [200, 200, 200, 200]
    order.refresh_from_db()
    assert order.payment_events.count() == 0

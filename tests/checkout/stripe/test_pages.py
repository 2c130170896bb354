"""What the shopper sees of a card payment, and paying again from the order's page."""
import pytest
from oscar.core.loading import get_model

from shop.order import statuses
from shop.payment import stripe_checkout
from shop.payment.stripe_models import StripeCheckout

from .conftest import event, pending_order, send, shop_request

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


def show_thank_you(client, order):
    """The browser that placed `order` (Oscar keeps its id in the session for the thank-you page)."""
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()


def retry_url(order):
    return f"/checkout/stripe/retry/{order.number}/"


def test_back_from_stripe_the_thank_you_page_says_the_payment_is_being_confirmed(client, fake_stripe):
    order = pending_order()
    url = stripe_checkout.start_session(order=order, request=shop_request())
    show_thank_you(client, order)
    session_id = url.rsplit("/", 1)[1]

    page = client.get(f"/checkout/thank-you/?session_id={session_id}").content.decode()

    assert 'data-stripe-status="open"' in page
    assert "Khoản thanh toán thẻ của bạn đang được xác nhận." in page
    assert "Thanh toán bằng thẻ</button>" not in page  # no second payment offered


def test_thank_you_page_after_a_stripe_failure_offers_to_pay_again(client, fake_stripe):
    order = pending_order()
    fake_stripe.fail(status=500)
    stripe_checkout.start_session(order=order, request=shop_request())
    show_thank_you(client, order)

    page = client.get("/checkout/thank-you/").content.decode()
    assert 'data-stripe-status="creating"' in page
    assert "Chưa thể bắt đầu thanh toán thẻ." in page
    assert f'action="{retry_url(order)}"' in page

    response = client.post(retry_url(order))

    assert response.status_code == 302
    checkout = StripeCheckout.objects.get(order=order)
    assert response["Location"] == checkout.url and checkout.url.startswith(fake_stripe.base_url)
    assert checkout.status == "open"


def test_pay_again_from_the_tracking_link_of_a_guest_order(client, fake_stripe):
    order = pending_order()

    response = client.post(retry_url(order), {"hash": order.verification_hash()})

    assert response.status_code == 302
    assert response["Location"].startswith(fake_stripe.base_url)
    session_id = response["Location"].rsplit("/", 1)[1]
    back = client.get(f"/checkout/thank-you/?session_id={session_id}")  # Stripe's success_url
    assert "Khoản thanh toán thẻ của bạn đang được xác nhận." in back.content.decode()


@pytest.mark.parametrize("data", [{}, {"hash": "100001:forged"}])
def test_nobody_else_can_open_a_payment_for_a_guest_order(client, fake_stripe, data):
    order = pending_order()

    response = client.post(retry_url(order), data)

    assert response.status_code == 404
    assert fake_stripe.session_creations() == []


def test_only_the_owner_can_pay_a_customers_order(client, fake_stripe, django_user_model):
    owner = django_user_model.objects.get(email="khach@ocop.demo")
    order = pending_order(user=owner)
    stranger = django_user_model.objects.create_user(username="la", email="nguoi.la@example.vn", password="x")

    client.force_login(stranger)
    refused = client.post(retry_url(order), {"hash": order.verification_hash()})
    client.force_login(owner)
    allowed = client.post(retry_url(order))

    assert refused.status_code == 404
    assert allowed.status_code == 302 and allowed["Location"].startswith(fake_stripe.base_url)
    assert len(fake_stripe.session_creations()) == 1


def test_unknown_order_and_get_are_refused(client, fake_stripe):
    assert client.post("/checkout/stripe/retry/999999999/").status_code == 404
    assert client.get(retry_url(pending_order())).status_code == 405


def test_a_paid_order_is_not_paid_again(client, fake_stripe):
    order = pending_order()
    url = stripe_checkout.start_session(order=order, request=shop_request())
    send(client, event("checkout.session.completed", fake_stripe.complete(url.rsplit("/", 1)[1])))
    show_thank_you(client, order)

    response = client.post(retry_url(order), follow=True)

    assert response.redirect_chain[0] == ("/checkout/thank-you/", 302)
    page = response.content.decode()
    assert "Đã nhận thanh toán thẻ." in page
    assert f"Đơn hàng {order.number} không chờ thanh toán bằng thẻ." in page
    assert len(fake_stripe.session_creations()) == 1
    assert Order.objects.get(pk=order.pk).status == statuses.PROCESSING


def test_stripe_down_on_retry_gives_a_message_and_keeps_the_order(client, fake_stripe):
    order = pending_order()
    show_thank_you(client, order)
    fake_stripe.fail(status=503)

    response = client.post(retry_url(order), follow=True)

    assert response.redirect_chain[0] == ("/checkout/thank-you/", 302)
    assert "Dịch vụ thanh toán thẻ không phản hồi" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == statuses.PENDING_PAYMENT


def test_thank_you_page_of_an_order_not_paid_by_card_says_nothing_about_cards(client):
    order = pending_order()
    Order.objects.filter(pk=order.pk).update(status=statuses.PROCESSING)
    show_thank_you(client, order)

    page = client.get("/checkout/thank-you/").content.decode()

    assert "data-stripe-status" not in page


def test_stripe_down_on_retry_from_the_tracking_link_goes_back_to_the_order(client, fake_stripe):
    order = pending_order()
    fake_stripe.fail(status=500)

    response = client.post(retry_url(order), {"hash": order.verification_hash()})

    assert response.status_code == 302
    assert str(order.number) in response["Location"]
    assert client.get(response["Location"], follow=True).status_code == 200  # Oscar asks the guest for the e-mail

"""The shopper who loses the last units sees why on the checkout page, and keeps the basket."""
import pytest
from oscar.apps.checkout.signals import post_payment
from oscar.core.loading import get_model

from demo.catalogue import ensure_country
from tests.checkout.payment_methods.checkout import place_order_data

from .factories import basket_of, make_product, stockrecord
from .factories import place as place_meanwhile

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def guest_ready_to_pay(client, *lines):
    """A guest with `lines` in the basket (added on the basket page) and the checkout steps done,
    recorded in the session as Oscar's checkout records them."""
    for product, quantity in lines:
        response = client.post(f"/basket/add/{product.pk}/", {"quantity": quantity})
        assert response.status_code == 302
    session = client.session
    session["checkout_data"] = {
        "guest": {"email": "khach.vanglai@example.vn"},
        "shipping": {"new_address_fields": {"first_name": "Thu Hà", "last_name": "Nguyễn", "line1": "12 Tô Hiệu",
                                            "line4": "Sơn La", "country_id": ensure_country().pk,
                                            "phone_number": "+84912345678"},
                     "method_code": "standard"},
        "billing": {"billing_address_same_as_shipping": True},
        "payment": {"method": "cod"},
    }
    session.save()


def test_checkout_refuses_the_lost_units_lists_every_short_line_and_keeps_the_basket(client):
    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=5)
    coffee = make_product(title="Cà phê Arabica Sơn La", stock=5)
    honey = make_product(title="Mật ong bạc hà", stock=5)
    guest_ready_to_pay(client, (tea, 3), (coffee, 2), (honey, 1))
    orders_before = Order.objects.count()
    place = place_order_data(client.get("/checkout/preview/"))

    def others_buy_meanwhile(**kwargs):
        """After the checkout's own availability checks passed, before the order is placed: the race."""
        place_meanwhile(basket_of((tea, 3), (coffee, 5)))  # real orders: the ledger stays whole

    post_payment.connect(others_buy_meanwhile, dispatch_uid="others-buy-meanwhile")
    try:
        response = client.post("/checkout/preview/", place, HTTP_ACCEPT_LANGUAGE="vi")
    finally:
        post_payment.disconnect(dispatch_uid="others-buy-meanwhile")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Chỉ còn 2 sản phẩm «Chè Shan tuyết Tà Xùa» trong kho (bạn đặt 3)" in page
    assert "«Cà phê Arabica Sơn La» đã hết hàng" in page
    assert "giỏ hàng của bạn vẫn được giữ nguyên" in page
    assert Order.objects.count() == orders_before + 1  # only the other shopper's, placed meanwhile
    assert [stockrecord(p).num_allocated for p in (tea, coffee, honey)] == [3, 5, 0]
    basket = client.get("/basket/").context["basket"]
    assert basket.status == Basket.OPEN
    assert sorted((line.product.title, line.quantity) for line in basket.all_lines()) == [
        ("Chè Shan tuyết Tà Xùa", 3), ("Cà phê Arabica Sơn La", 2), ("Mật ong bạc hà", 1)]


def test_checkout_sends_the_shopper_back_to_the_basket_when_stock_is_already_short(client):
    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=5)
    guest_ready_to_pay(client, (tea, 3))
    place_meanwhile(basket_of((tea, 4)))  # another shopper's order

    response = client.post("/checkout/preview/", {"action": "place_order"})

    assert response.status_code == 302 and response.url == "/basket/"  # Oscar's own check, before payment
    assert stockrecord(tea).num_allocated == 4


def test_checkout_places_the_order_when_the_units_are_there(client):
    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=3)
    guest_ready_to_pay(client, (tea, 3))

    response = client.post("/checkout/preview/", place_order_data(client.get("/checkout/preview/")))

    assert response.status_code == 302 and response.url.endswith("/checkout/thank-you/")
    assert Order.objects.filter(lines__product=tea).count() == 1
    assert stockrecord(tea).num_allocated == 3

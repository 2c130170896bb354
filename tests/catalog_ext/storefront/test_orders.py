"""Checkout pages, the thank-you page, the account's order page and the order e-mail carry the badge."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from oscar.core.loading import get_class, get_model

from catalog_ext.badges import badges_for
from core.places import ward_code

from .helpers import body, product

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")
Selector = get_class("partner.strategy", "Selector")
Free = get_class("shipping.methods", "Free")


def place_order(*, user=None, lines=(("CF-001", 1), ("DF-005", 1))):
    """An order placed through Oscar's own order creator, as the checkout does."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for sku, quantity in lines:
        basket.add_product(product(sku), quantity)
    method = Free()
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    address = ShippingAddress(first_name="Thu Hà", last_name="Nguyễn", line1="12 Tô Hiệu", line4="Sơn La",
                              country=Country.objects.get(iso_3166_1_a2="VN"), phone_number="+84912345678")
    address.save()
    return OrderCreator().place_order(basket=basket, total=total, shipping_method=method, shipping_charge=charge,
                                      user=user, shipping_address=address,
                                      guest_email="" if user else "khach.vanglai@example.vn")


def send_confirmation(order, user=None):
    """The checkout's own "order placed" e-mail step."""
    view = OrderPlacementMixin()
    view.request = RequestFactory().get("/checkout/preview/")
    view.request.user = user or AnonymousUser()
    view.send_order_placed_email(order)


def test_order_confirmation_email_gives_the_stars():
    order = place_order()

    send_confirmation(order)

    message = mail.outbox[-1]
    assert message.to == ["khach.vanglai@example.vn"]
    assert "OCOP 5★" in message.body
    assert "Cà phê Sơn La" in message.body
    html = message.alternatives[0][0]
    assert 'data-ocop-stars="5"' in html and "OCOP ★★★★★" in html
    line = [ln for ln in message.body.splitlines() if "Măng sặt" in ln][0]
    assert "OCOP" not in line  # an uncertified product claims nothing


def test_account_order_page_and_thank_you_page_show_the_badge(client, django_user_model):
    user = django_user_model.objects.get(email="khach@ocop.demo")
    client.force_login(user)
    order = place_order(user=user)

    detail = body(client.get(f"/accounts/orders/{order.number}/"))
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()
    thanks = body(client.get("/checkout/thank-you/"))

    for page in (detail, thanks):
        assert 'data-ocop-stars="5"' in page
        assert 'data-gi="ca-phe-son-la"' in page


def test_checkout_preview_lines_show_the_badge(client):
    coffee = product("CF-001")
    client.post(f"/basket/add/{coffee.pk}/", {"quantity": 1})
    client.post("/checkout/", {"username": "khach.vanglai@example.vn", "options": "anonymous"})
    client.post("/checkout/shipping-address/", {
        "full_name": "Nguyễn Thu Hà", "line1": "12 Tô Hiệu", "province": "14", "ward": str(ward_code("Phường Tô Hiệu")),
        "phone_number": "+84912345678"}, follow=True)  # → shipping method
    client.post("/checkout/shipping-method/", {"method_code": "standard"})
    client.post("/checkout/payment-method/", {"method": "cod"})  # the preview needs a payment method

    response = client.get("/checkout/preview/")
    page = body(response)

    assert response.templates[0].name == "oscar/checkout/preview.html"
    line = page.split('class="basket-items"')[1]
    assert coffee.title in line
    assert 'data-ocop-stars="5"' in line


def test_badges_of_many_lines_cost_one_query(django_assert_num_queries):
    order = place_order(lines=[("CF-001", 1), ("CF-002", 2), ("TE-001", 1), ("RC-001", 1), ("DF-005", 1)])
    lines = list(order.lines.select_related("product"))

    with django_assert_num_queries(1):
        template = Template("{% load ocop_lines %}{% ocop_with_badges lines as ocop_lines %}")
        template.render(Context({"lines": lines}))
    with django_assert_num_queries(0):
        stars = [badges_for(line.product).stars for line in lines]

    assert stars == [5, 4, 4, None, None]
    assert badges_for(lines[0].product).gi_slug == "ca-phe-son-la"

"""A guest goes through the checkout pages: address, shipping (delivery or showroom pick-up),
then on to payment; the order keeps the showroom."""
import pytest
from oscar.core.loading import get_class, get_model

from showrooms.models import Showroom
from tests.catalog_ext.storefront.helpers import body

from .helpers import HANOI_WARD, TO_HIEU, basket_of, ship_to, start_guest_checkout

pytestmark = pytest.mark.django_db

ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Repository = get_class("shipping.repository", "Repository")


def session_address(client):
    return client.session["checkout_data"]["shipping"]["new_address_fields"]


def test_guest_checkout_up_to_payment(client):
    start_guest_checkout(client, ("DF-005", 5))
    page = body(client.get("/checkout/shipping-address/"))
    assert "Họ và tên" in page and "Phường Tô Hiệu" in page and "ocop-address.js" in page
    assert 'name="postcode"' not in page and "Quận/huyện" not in page

    response = ship_to(client)
    assert response.status_code == 302 and response["Location"] == "/checkout/payment-method/"

    methods = body(client.get("/checkout/payment-method/"))  # screen 2: delivery and payment together
    assert "Giao hàng tiêu chuẩn" in methods and "Giao hàng nhanh" in methods
    assert "25.000 ₫" in methods and "43.000 ₫" in methods  # 1.6 kg within Sơn La
    assert "Thanh toán khi nhận hàng" in methods

    # Oscar's own shipping-method page still answers a POST (and offers the showrooms)
    methods = body(client.get("/checkout/shipping-method/"))
    assert "Nhận hàng tại điểm trưng bày OCOP" in methods and "Điểm OCOP Mộc Châu" in methods
    response = client.post("/checkout/shipping-method/", {"method_code": "standard"})
    assert response.status_code == 302 and response["Location"] == "/checkout/payment-method/"
    client.post("/checkout/payment-method/", {"method": "cod"})
    preview = client.get("/checkout/preview/")
    page = body(preview)
    assert "Giao hàng tiêu chuẩn" in page and "25.000 ₫" in page
    assert "475.000 ₫" in page  # 450.000 ₫ + 25.000 ₫ shipping
    assert "Phường Tô Hiệu" in page and "Nguyễn Thu Hà" in page


def test_the_address_from_the_checkout_is_stored_with_codes_and_a_normalised_phone(client):
    start_guest_checkout(client, ("DF-005", 1))
    ship_to(client, phone_number="0912.345.678")

    # What Oscar's order placement does with the session's address
    address = ShippingAddress(**session_address(client))
    address.save()

    address.refresh_from_db()
    assert address.phone_number.as_e164 == "+84912345678"
    assert (address.province_code, address.ward_code) == (14, TO_HIEU)
    assert (address.line4, address.state, address.postcode) == ("Phường Tô Hiệu", "Sơn La", "")


def test_a_wrong_ward_keeps_the_shopper_on_the_address_page_with_the_message(client):
    start_guest_checkout(client, ("DF-005", 1))

    response = ship_to(client, ward=str(HANOI_WARD))

    assert "Phường/xã này không thuộc tỉnh đã chọn" in body(response)
    assert "new_address_fields" not in client.session.get("checkout_data", {}).get("shipping", {})


@pytest.mark.parametrize("changes", [{"province": "9" * 50}, {"ward": "-5"}, {"phone_number": "☎" * 10},
                                     {"full_name": "x" * 10000}, {"line1": ""}])
def test_garbage_on_the_address_page_is_answered_not_crashed(client, changes):
    start_guest_checkout(client, ("DF-005", 1))

    response = ship_to(client, **changes)

    assert response.status_code == 200
    assert "is-invalid" in body(response) or "error" in body(response)


def test_pick_up_needs_a_showroom(client):
    start_guest_checkout(client, ("DF-005", 1))
    ship_to(client)

    response = client.post("/checkout/shipping-method/", {"method_code": "pickup", "showroom": ""})

    assert "Hãy chọn điểm trưng bày nơi bạn sẽ nhận hàng." in body(response)
    assert client.session["checkout_data"].get("shipping", {}).get("method_code") is None


@pytest.mark.parametrize("showroom", ["abc", "999999", "9" * 40])
def test_pick_up_at_an_unknown_showroom_is_refused(client, showroom):
    start_guest_checkout(client, ("DF-005", 1))
    ship_to(client)

    response = client.post("/checkout/shipping-method/", {"method_code": "pickup", "showroom": showroom})

    assert "Hãy chọn điểm trưng bày trong danh sách." in body(response)


def test_pick_up_at_a_chosen_showroom_is_free_and_named_before_payment(client):
    showroom = Showroom.objects.get(slug="demo-moc-chau")
    start_guest_checkout(client, ("DF-005", 5))
    ship_to(client)

    response = client.post("/checkout/shipping-method/", {"method_code": "pickup", "showroom": showroom.pk})

    assert response.status_code == 302 and response["Location"] == "/checkout/payment-method/"
    assert client.session["checkout_data"]["shipping"]["method_code"] == f"pickup-{showroom.pk}"
    client.post("/checkout/payment-method/", {"method": "counter"})  # paid at the showroom, not to a courier
    page = body(client.get("/checkout/preview/"))
    assert "Nhận hàng tại Điểm OCOP Mộc Châu" in page
    assert "450.000 ₫" in page


def test_an_order_placed_with_pick_up_stores_the_showroom():
    showroom = Showroom.objects.get(slug="demo-van-ho")
    basket = basket_of(("DF-005", 2))
    address = ShippingAddress(first_name="Nguyễn Thu", last_name="Hà", line1="12 Tô Hiệu", line4="Phường Tô Hiệu",
                              state="Sơn La", province_code=14, ward_code=TO_HIEU, phone_number="+84912345678",
                              country=Country.objects.get(iso_3166_1_a2="VN"))
    address.save()
    method = next(m for m in Repository().get_shipping_methods(basket=basket, shipping_addr=address)
                  if m.code == f"pickup-{showroom.pk}")
    charge = method.calculate(basket)

    order = OrderCreator().place_order(
        basket=basket, total=OrderTotalCalculator().calculate(basket, charge), shipping_method=method,
        shipping_charge=charge, shipping_address=address, guest_email="khach.vanglai@example.vn")

    order.refresh_from_db()
    assert order.pickup_showroom == showroom
    assert order.shipping_incl_tax == 0
    assert showroom.pickup_orders.filter(pk=order.pk).exists()


@pytest.mark.parametrize("code", ["pickup-999999", "free-shipping", "x" * 5000, ""])
def test_a_forged_shipping_method_is_refused(client, code):
    start_guest_checkout(client, ("DF-005", 1))
    ship_to(client)

    response = client.post("/checkout/shipping-method/", {"method_code": code})

    assert response.status_code == 200
    assert client.session["checkout_data"].get("shipping", {}).get("method_code") is None

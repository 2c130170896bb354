"""Going through the real checkout pages as a guest: basket, Vietnamese address, shipping, payment."""
from django.urls import reverse

from core.places import ward_code
from tests.catalog_ext.storefront.helpers import product

GUEST_EMAIL = "khach.vanglai@example.vn"

# A Sơn La address in the checkout's Vietnamese form (shop/address/vn_forms.py).
ADDRESS = {"full_name": "Nguyễn Thu Hà", "phone_number": "0912345678", "province": "14",
           "line1": "12 Tô Hiệu", "notes": ""}


def fill_basket(client, lines=(("CF-001", 1), ("DF-005", 1))):
    for sku, quantity in lines:
        response = client.post(reverse("basket:add", kwargs={"pk": product(sku).pk}), {"quantity": quantity})
        assert response.status_code == 302, response.status_code


def fill_shipping_address(client):
    url = reverse("checkout:shipping-address")
    assert client.get(url).status_code == 200
    response = client.post(url, {**ADDRESS, "ward": str(ward_code("Phường Tô Hiệu"))})
    assert response.status_code == 302, response.context["form"].errors
    return response


def choose_shipping_method(client):
    response = client.get(reverse("checkout:shipping-method"))
    if response.status_code == 302:  # Oscar skips the page when there is one method
        return response
    methods = response.context["methods"]
    return client.post(reverse("checkout:shipping-method"), {"method_code": methods[0].code})


def start_guest_checkout(client, lines=(("CF-001", 1), ("DF-005", 1))):
    """A guest with a basket, an address and a shipping method: at the payment step."""
    fill_basket(client, lines)
    response = client.post(reverse("checkout:index"), {"username": GUEST_EMAIL, "options": "anonymous"})
    assert response.status_code == 302, response.status_code
    fill_shipping_address(client)
    choose_shipping_method(client)


def choose_payment(client, method, cod_inspection=False):
    data = {"method": method}
    if cod_inspection:
        data["cod_inspection"] = "on"
    return client.post(reverse("checkout:payment-method"), data)


def place_order(client):
    preview = client.get(reverse("checkout:preview"))
    assert preview.status_code == 200, preview.status_code
    return client.post(reverse("checkout:preview"), place_order_data(preview))


def place_order_data(preview):
    """What the preview page's "Place order" form posts."""
    return {"action": "place_order", "basket_fingerprint": preview.context["basket_fingerprint"]}


def checkout(client, method, cod_inspection=False, lines=(("CF-001", 1), ("DF-005", 1))):
    """The whole guest checkout; returns the place-order response and the order."""
    from oscar.core.loading import get_model

    start_guest_checkout(client, lines)
    response = choose_payment(client, method, cod_inspection)
    assert response.status_code == 302, response.content.decode()[:2000]
    response = place_order(client)
    Order = get_model("order", "Order")
    return response, Order.objects.filter(guest_email=GUEST_EMAIL).order_by("-pk").first()

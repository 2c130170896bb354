"""A guest's way through the checkout, and baskets for pricing."""
from oscar.core.loading import get_class, get_model

from core import places
from core.places import ward_code
from tests.catalog_ext.storefront.helpers import product

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")

TO_HIEU = ward_code("Phường Tô Hiệu")
HANOI = 1
HANOI_WARD = places.wards(HANOI)[0][0]

ADDRESS = {"full_name": "Nguyễn Thu Hà", "phone_number": "0912 345 678", "province": "14",
           "ward": str(TO_HIEU), "line1": "12 đường Tô Hiệu", "notes": ""}


def basket_of(*lines):
    """An unsaved-strategy basket with (sku, quantity) lines."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for sku, quantity in lines:
        basket.add_product(product(sku), quantity)
    return basket


def start_guest_checkout(client, *lines, email="khach.vanglai@example.vn"):
    for sku, quantity in lines:
        response = client.post(f"/basket/add/{product(sku).pk}/", {"quantity": quantity})
        assert response.status_code == 302
    response = client.post("/checkout/", {"username": email, "options": "anonymous"})
    assert response.status_code == 302


def ship_to(client, **changes):
    return client.post("/checkout/shipping-address/", {**ADDRESS, **changes})

"""Shipping prices by destination zone and basket weight; free standard delivery above the threshold."""
from decimal import Decimal

import pytest
from oscar.core.loading import get_class, get_model

from shop.shipping import zones
from shop.shipping.methods import Express, ShowroomPickup, Standard, basket_weight
from showrooms.models import Showroom

from .helpers import basket_of

pytestmark = pytest.mark.django_db

ShippingAddress = get_model("order", "ShippingAddress")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
Repository = get_class("shipping.repository", "Repository")

SON_LA, HANOI, HO_CHI_MINH_CITY = 14, 1, 79


def to(province_code):
    return ShippingAddress(province_code=province_code)


def charge(method, basket):
    return method.calculate(basket).incl_tax


def test_every_province_has_exactly_one_zone():
    from core.places import provinces

    found = {code: zones.zone_for_province(code) for code, _ in provinces()}

    assert found[SON_LA] == zones.LOCAL
    assert sum(z == zones.NORTH for z in found.values()) == 14
    assert found[HO_CHI_MINH_CITY] == zones.NATIONAL
    assert zones.zone_for_province(None) == zones.NATIONAL  # unknown: never under-charged


def test_prices_grow_with_distance_and_weight():
    # 5 × 320 g of dried bamboo shoots = 1.6 kg: two started kilograms, 450.000 ₫ (under the threshold)
    basket = basket_of(("DF-005", 5))

    assert basket_weight(basket) == Decimal("1.600")
    assert charge(Standard(to(SON_LA)), basket) == Decimal(25000)
    assert charge(Standard(to(HANOI)), basket) == Decimal(38000)
    assert charge(Standard(to(HO_CHI_MINH_CITY)), basket) == Decimal(50000)
    assert charge(Express(to(SON_LA)), basket) == Decimal(43000)
    assert charge(Express(to(HO_CHI_MINH_CITY)), basket) == Decimal(85000)


def test_one_light_parcel_pays_the_first_kilogram_only():
    basket = basket_of(("DF-005", 1))  # 320 g

    assert charge(Standard(to(SON_LA)), basket) == Decimal(20000)
    assert charge(Express(to(HANOI)), basket) == Decimal(50000)


def test_standard_is_free_from_the_threshold_express_is_not():
    basket = basket_of(("CF-001", 3))  # 3 × 185.000 ₫ = 555.000 ₫, 1.56 kg

    assert basket.total_incl_tax >= Decimal(500000)
    assert charge(Standard(to(HO_CHI_MINH_CITY)), basket) == Decimal(0)
    assert charge(Express(to(HO_CHI_MINH_CITY)), basket) == Decimal(85000)


def test_the_threshold_is_a_setting(settings):
    basket = basket_of(("DF-005", 1))
    settings.FREE_SHIPPING_THRESHOLD = 90000

    assert charge(Standard(to(SON_LA)), basket) == Decimal(0)


def test_a_product_without_weight_counts_the_default():
    basket = basket_of(("DF-005", 3))
    ProductAttributeValue.objects.filter(product=basket.all_lines()[0].product, attribute__code="weight").delete()
    basket = basket_of(("DF-005", 3))

    assert basket_weight(basket) == Decimal("1.5")


def test_services_weigh_nothing():
    basket = basket_of(("DF-005", 1), ("TR-001", 2))

    assert basket_weight(basket) == Decimal("0.320")


def test_an_address_without_codes_is_zoned_by_its_province_name():
    assert zones.zone_for_address(ShippingAddress(state="Sơn La")) == zones.LOCAL
    assert zones.zone_for_address(ShippingAddress(state="TP Hà Nội")) == zones.NORTH
    assert zones.zone_for_address(ShippingAddress(state="")) == zones.NATIONAL


def test_totals_are_whole_dong():
    basket = basket_of(("DF-005", 7), ("CF-001", 1))

    for method in Repository().get_shipping_methods(basket=basket, shipping_addr=to(HANOI)):
        amount = charge(method, basket)
        assert amount == amount.to_integral_value()


def test_the_repository_offers_standard_express_and_each_active_showroom():
    basket = basket_of(("DF-005", 1))
    closed = Showroom.objects.order_by("pk").first()
    Showroom.objects.filter(pk=closed.pk).update(is_active=False)

    methods = Repository().get_shipping_methods(basket=basket, shipping_addr=to(SON_LA))

    codes = [m.code for m in methods]
    assert codes[:2] == ["standard", "express"]
    pickups = [m for m in methods if isinstance(m, ShowroomPickup)]
    assert len(pickups) == 11 and f"pickup-{closed.pk}" not in codes
    assert all(charge(m, basket) == 0 for m in pickups)


def test_a_basket_of_services_needs_no_shipping():
    basket = basket_of(("TR-001", 1))

    methods = Repository().get_shipping_methods(basket=basket, shipping_addr=to(SON_LA))

    assert [m.code for m in methods] == ["no-shipping-required"]


@pytest.mark.parametrize("kg, expected", [("0", 20000), ("1.000", 20000), ("1.001", 25000), ("2.000", 25000),
                                          ("2.5", 30000)])
def test_each_started_kilogram_beyond_the_first_is_charged(kg, expected):
    assert zones.price(zone=zones.LOCAL, method="standard", weight_kg=Decimal(kg)) == Decimal(expected)


def test_standard_delivery_names_the_free_shipping_amount():
    from django.utils import translation

    from shop.shipping.methods import Standard

    with translation.override("vi"):
        assert str(Standard().description) == "2–5 ngày. Miễn phí cho đơn hàng từ 500.000 ₫."

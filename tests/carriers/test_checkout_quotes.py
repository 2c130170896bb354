"""Checkout prices delivery with the carrier's quote (one per producer of the basket) when a carrier
is configured, and with the zone table when it is not, or does not answer in time."""
from decimal import Decimal

import pytest
from django.urls import reverse

from shop.shipping import zones
from tests.checkout.payment_methods.checkout import fill_basket, fill_shipping_address

from . import fake_ghn

pytestmark = pytest.mark.django_db
GUEST = {"username": "khach.ship@example.vn", "options": "anonymous"}


def delivery_prices(client, lines=(("CF-001", 1),)) -> dict:
    """The shipping-method page's prices for a guest with this basket and a Sơn La address."""
    fill_basket(client, lines)
    client.post(reverse("checkout:index"), GUEST)
    fill_shipping_address(client)
    return shipping_page_prices(client)


def shipping_page_prices(client) -> dict:
    response = client.get(reverse("checkout:shipping-method"))
    assert response.status_code == 200
    basket = response.context["basket"]
    return {m.code: m.calculate(basket).incl_tax for m in response.context["methods"] if m.code in ("standard",
                                                                                                    "express")}


def zone_prices(client) -> dict:
    response = client.get(reverse("checkout:shipping-method"))
    basket = response.context["basket"]
    weight = __import__("shop.shipping.methods", fromlist=["basket_weight"]).basket_weight(basket)
    return {code: zones.price(zone=zones.LOCAL, method=code, weight_kg=weight) for code in ("standard", "express")}


def test_without_a_carrier_the_zone_table_prices_delivery(client, no_carrier):
    prices = delivery_prices(client)
    assert prices == zone_prices(client)


def test_with_ghn_the_carriers_quote_prices_standard_and_express(client, ghn, mapped):
    prices = delivery_prices(client)

    fees = ghn.calls("/v2/shipping-order/fee")
    standard = [c for c in fees if c.body["service_type_id"] == 2]
    express = [c for c in fees if c.body["service_type_id"] == 1]
    assert standard and express
    assert prices["standard"] == Decimal(fake_ghn.fee_for(standard[0].body["weight"], False))
    assert prices["express"] == Decimal(fake_ghn.fee_for(express[0].body["weight"], True))
    assert prices != zone_prices(client)
    assert standard[0].body["to_ward_code"] == "280101"  # the shopper's ward in GHN's codes


def test_a_mixed_basket_gets_one_quote_per_producer_summed(client, ghn, mapped):
    from tests.catalog_ext.storefront.helpers import product

    skus = ("CF-001", "DF-005")
    assert product(skus[0]).stockrecords.first().partner != product(skus[1]).stockrecords.first().partner
    prices = delivery_prices(client, lines=((skus[0], 1), (skus[1], 1)))

    standard = [c for c in ghn.calls("/v2/shipping-order/fee") if c.body["service_type_id"] == 2]
    assert len({(c.body["weight"], c.body["insurance_value"]) for c in standard}) == 2
    per_producer = {(c.body["weight"], c.body["insurance_value"]): c for c in standard}
    assert prices["standard"] == sum(Decimal(fake_ghn.fee_for(w, False)) for w, _ in per_producer)


def test_quotes_are_cached_briefly(client, ghn, mapped):
    delivery_prices(client)
    asked = len(ghn.calls("/v2/shipping-order/fee"))

    shipping_page_prices(client)

    assert len(ghn.calls("/v2/shipping-order/fee")) == asked


@pytest.mark.parametrize("trouble", ["500", "slow", "down"])
def test_a_carrier_in_trouble_falls_back_to_the_zone_price_and_is_not_waited_for_again(client, ghn, mapped, settings,
                                                                                      trouble):
    settings.CARRIER_QUOTE_TIMEOUT = 0.3
    if trouble == "500":
        ghn.fail(500, times=50)
    elif trouble == "slow":
        ghn.delay = 2
    else:
        ghn.stop()

    prices = delivery_prices(client)
    asked = len(ghn.calls("/v2/shipping-order/fee"))
    again = shipping_page_prices(client)

    assert prices == again == zone_prices(client)
    assert asked <= 2  # one try for standard, one for express: the page does not wait per line or per view
    assert len(ghn.calls("/v2/shipping-order/fee")) == asked  # the failure is remembered for a minute


def test_an_unmapped_ward_is_priced_by_zone_without_asking(client, ghn):
    prices = delivery_prices(client)
    assert prices == zone_prices(client)
    assert ghn.calls("/v2/shipping-order/fee") == []

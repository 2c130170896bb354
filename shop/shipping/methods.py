"""OCOP Market's shipping methods: standard and express delivery priced by zone and weight, and
free pick-up at an OCOP showroom (one method per showroom: the code names it, so the order
keeps which showroom whatever places it)."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import *  # noqa: F401,F403  (Oscar's Free, NoShippingRequired, …)
from oscar.apps.shipping.methods import Base
from oscar.core import prices
from oscar.core.loading import get_model

from carriers import quotes as carrier_quotes

from . import zones

PICKUP_PREFIX = "pickup-"
# Products without a "weight" attribute (kg) count as a small parcel.
DEFAULT_WEIGHT_KG = Decimal("0.5")
GRAM = Decimal("0.001")


def weights_kg(products) -> dict[int, Decimal]:
    """Each product's "weight" attribute in kg (a variant's own, else its parent's, as Oscar's Scale
    reads it), DEFAULT_WEIGHT_KG without one: one query for every product, where Oscar's Scale asks
    twice per product (a 10-line basket cost 14 more queries than a 1-line one)."""
    products = list(products)
    ids = {p.pk for p in products} | {p.parent_id for p in products if p.parent_id}
    values = (get_model("catalogue", "ProductAttributeValue").objects
              .filter(attribute__code="weight", product_id__in=ids).values_list("product_id", "value_float"))
    found = {pk: value for pk, value in values if value is not None}
    weights = {}
    for product in products:
        kg = found.get(product.pk, found.get(product.parent_id))
        weights[product.pk] = Decimal(str(kg)) if kg is not None else DEFAULT_WEIGHT_KG
    return weights


def basket_weight(basket) -> Decimal:
    """Kilograms to ship: lines that need shipping only (tourism services travel by themselves)."""
    lines = [line for line in basket.all_lines() if line.product.is_shipping_required]
    weights = weights_kg(line.product for line in lines)
    total = sum((weights[line.product.pk] * line.quantity for line in lines), Decimal(0))
    return total.quantize(GRAM)  # the attribute is a float: 0.32 would weigh 0.3200000000000000066 kg


def free_shipping_threshold() -> Decimal:
    return Decimal(getattr(settings, "FREE_SHIPPING_THRESHOLD", 500000))


def showroom_id_from_code(code: str | None) -> int | None:
    if code and code.startswith(PICKUP_PREFIX) and code[len(PICKUP_PREFIX):].isdigit():
        return int(code[len(PICKUP_PREFIX):])
    return None


def _charge(basket, amount: Decimal):
    return prices.Price(currency=basket.currency, excl_tax=amount, tax=Decimal(0))


class ZonedDelivery(Base):
    """Delivery to the address, priced from shop/shipping/zones.py."""

    rate_key = ""
    is_pickup = False

    def __init__(self, shipping_addr=None):
        self.zone = zones.zone_for_address(shipping_addr)
        self.address = shipping_addr

    def charge_before_discounts(self, basket) -> Decimal:
        # A configured carrier (carriers/: GHN, GHTK) prices the parcels itself; when it is not
        # configured, the address has no ward yet, or it does not answer in time: the zone table.
        quoted = carrier_quotes.basket_quote(basket, self.address, express=self.rate_key == "express")
        if quoted is not None:
            return quoted
        return zones.price(zone=self.zone, method=self.rate_key, weight_kg=basket_weight(basket))

    def calculate(self, basket):
        return _charge(basket, self.charge_before_discounts(basket))


class Standard(ZonedDelivery):
    code = "standard"
    name = _("Standard delivery")
    rate_key = "standard"

    @property
    def description(self):
        from oscar.templatetags.currency_filters import currency

        return _("2–5 days. Free for orders from %(amount)s.") % {"amount": currency(free_shipping_threshold())}

    def calculate(self, basket):
        if basket.total_incl_tax >= free_shipping_threshold():
            return _charge(basket, Decimal(0))
        return super().calculate(basket)


class Express(ZonedDelivery):
    code = "express"
    name = _("Express delivery")
    description = _("1–2 days.")
    rate_key = "express"


class ShowroomPickup(Base):
    """Collect the order at an OCOP showroom, free."""

    is_pickup = True
    description = _("Free. We call you when your order is ready at the showroom.")

    def __init__(self, showroom):
        self.showroom = showroom
        self.code = f"{PICKUP_PREFIX}{showroom.pk}"
        self.name = _("Pick up at %(showroom)s") % {"showroom": showroom.name}

    def calculate(self, basket):
        return _charge(basket, Decimal(0))


class DeliveryEstimate:
    """What standard delivery of a basket costs before the checkout knows the address (the basket
    page, issue 19): the Standard method's own price (free threshold included) for the shopper's
    default address, else from the cheapest zone to the dearest. Labelled an estimate wherever
    shown; the checkout's second screen prices the real address with the same method."""

    def __init__(self, basket, province_code: int | None = None):
        def price_to(code):
            return Standard(_ProvinceOnly(code)).calculate(basket).incl_tax

        if province_code:
            low = high = price_to(province_code)
        else:
            prices_by_zone = [price_to(code) for code in zones.EXAMPLE_PROVINCES.values()]
            low, high = min(prices_by_zone), max(prices_by_zone)
        self.low, self.high, self.province_code = low, high, province_code
        self.free_from = free_shipping_threshold()
        self.missing_for_free = max(Decimal(0), self.free_from - basket.total_incl_tax)

    @property
    def is_free(self) -> bool:
        return self.high == 0

    @property
    def is_range(self) -> bool:
        return self.low != self.high


class _ProvinceOnly:
    """An address known only by its province: priced by the zone table (no ward, so no carrier quote)."""

    def __init__(self, province_code):
        self.province_code = province_code

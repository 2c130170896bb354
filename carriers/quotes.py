"""Checkout prices from the carrier: one quote per producer of the basket (each parcel leaves from
its producer's pick-up ward), for the shopper's ward and the parcel's weight, summed.

A quote is cached (CARRIER_QUOTE_CACHE_SECONDS) by carrier, both wards, grams, value and speed.
The whole basket gets at most CARRIER_QUOTE_TIMEOUT seconds of the carrier's time: past that,
or on any error, None is returned and the zone table prices the delivery (shop/shipping). A
failure is remembered for a minute, so the pages that follow do not wait again.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from . import areas, registry
from .base import CarrierError

logger = logging.getLogger(__name__)
FAILURE_SECONDS = 60
DEFAULT_GRAMS = 500  # a product without a weight attribute: the zone table's 0.5 kg


def parcels(basket) -> dict:
    """partner -> (grams, value in đồng) of the basket lines that need shipping."""
    out: dict = defaultdict(lambda: [0, 0])
    for line in basket.all_lines():
        if not line.product.is_shipping_required or line.stockrecord is None:
            continue
        weight = line.product.attribute_values.filter(attribute__code="weight").first()
        kg = getattr(weight, "value", None) if weight is not None else None
        grams = int(Decimal(str(kg)) * 1000) if isinstance(kg, (int, float, Decimal)) and kg > 0 else DEFAULT_GRAMS
        out[line.stockrecord.partner][0] += grams * line.quantity
        out[line.stockrecord.partner][1] += int(line.line_price_incl_tax or 0)
    return {partner: tuple(v) for partner, v in out.items()}


def basket_quote(basket, address, *, express: bool) -> Decimal | None:
    """The carrier's price to deliver the basket to `address`, or None (then the zone table)."""
    carrier = registry.default()
    ward_code = getattr(address, "ward_code", None) if address is not None else None
    if carrier is None or not ward_code:
        return None
    recipient = areas.place(carrier.code, ward_code, street=getattr(address, "line1", ""))
    groups = parcels(basket)
    if recipient is None or not groups:
        return None
    deadline = time.monotonic() + settings.CARRIER_QUOTE_TIMEOUT
    total = 0
    for partner, (grams, value) in sorted(groups.items(), key=lambda kv: kv[0].pk):
        sender = areas.place(carrier.code, partner.ward_code)
        if sender is None:
            return None
        key = f"carrier-quote:{carrier.code}:{partner.ward_code}:{ward_code}:{grams}:{value}:{int(express)}"
        found = cache.get(key)
        if found == "failed":
            return None
        if found is None:
            left = deadline - time.monotonic()
            if left <= 0.05:
                return None
            try:
                found = carrier.quote(sender=sender, recipient=recipient, weight_grams=grams, value=value,
                                      express=express, timeout=left)
            except CarrierError as error:
                logger.warning("%s quote failed (%s): zone price used", carrier.code, error.message)
                cache.set(key, "failed", FAILURE_SECONDS)
                return None
            cache.set(key, found, settings.CARRIER_QUOTE_CACHE_SECONDS)
        total += int(found)
    return Decimal(total)

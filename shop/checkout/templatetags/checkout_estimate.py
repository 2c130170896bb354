"""The basket page's delivery estimate (templates/oscar/basket/partials/basket_totals.html): asks the
shipping fork's rule (shop/shipping/methods.py DeliveryEstimate), never prices delivery itself."""
from django import template
from oscar.core.loading import get_class

from shop.checkout.estimate_reads import default_shipping_address

register = template.Library()
DeliveryEstimate = get_class("shipping.methods", "DeliveryEstimate")


@register.simple_tag
def delivery_estimate(basket, user):
    """For a signed-in shopper with a default delivery address: that province's price; else the range."""
    province = None
    if getattr(user, "is_authenticated", False):
        address = default_shipping_address(user)  # user.addresses.filter(…).first(), compiled once
        province = getattr(address, "province_code", None) if address else None
    return DeliveryEstimate(basket, province_code=province)

from django import template

from carriers import registry, shipments

register = template.Library()


@register.simple_tag
def carrier_parcel(order, partner):
    """{"carrier": the configured carrier or None, "shipment": the producer's open parcel or None}."""
    return {"carrier": registry.default(), "shipment": shipments.open_shipment(order, partner)}

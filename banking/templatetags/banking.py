from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def transfer_status_url(order) -> str:
    """Where an order's page asks whether its transfer has arrived (the hash proves the page's right)."""
    return reverse("banking:order-status", kwargs={"number": order.number}) + "?h=" + order.verification_hash()

from django import template

from shop.order.tracking import tracking_url

register = template.Library()


@register.simple_tag(takes_context=True)
def order_tracking_url(context, order):
    """The order's signed tracking page, for the thank-you page and e-mails."""
    return tracking_url(order, context.get("request"))

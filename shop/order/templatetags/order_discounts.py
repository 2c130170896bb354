"""`{% order_discounts order as found %}`: an order's basket and shipping discounts (`found.basket`,
`found.shipping`) from one read of its discounts.

Oscar's order page asks `order.basket_discounts` and then `order.has_shipping_discounts` (and, when
there are some, `order.shipping_discounts`): a filtered query each, on the same few rows (issue 21).
The lists are what those querysets give: the discounts of that category, in the model's order (pk)."""
from django import template
from oscar.core.loading import get_model

register = template.Library()
OrderDiscount = get_model("order", "OrderDiscount")


class Discounts:
    def __init__(self, order):
        found = list(order.discounts.all())
        self.basket = [d for d in found if d.category == OrderDiscount.BASKET]
        self.shipping = [d for d in found if d.category == OrderDiscount.SHIPPING]


@register.simple_tag
def order_discounts(order):
    return Discounts(order)

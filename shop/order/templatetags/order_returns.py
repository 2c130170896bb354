"""The shopper's order page: which delivered lines may still be returned, and the returns asked."""
from django import template

from shop.order import lifecycle

register = template.Library()


@register.simple_tag
def order_returns(order) -> dict:
    returnable = []
    for line in order.lines.all():
        if lifecycle.can_ask_return(line):
            returnable.append({"line": line, "left": lifecycle.returnable_quantity(line),
                               "deadline": lifecycle.return_deadline(line)})
    return {"returnable": returnable,
            "asked": list(order.line_returns.select_related("line").order_by("pk")),
            "days": lifecycle.return_window_days()}

"""The shopper's order page: which delivered lines may still be returned, and the returns asked."""
from django import template

from shop.order import known_rows, lifecycle

register = template.Library()


@register.simple_tag
def order_returns(order, lines=None) -> dict:
    """`lines`: the order's lines the page has already read ({% order_page_lines %}); else read here."""
    returnable = [{"line": line, "left": left, "deadline": deadline}
                  for line, left, deadline in lifecycle.returnable_lines(order.lines.all() if lines is None else lines)]
    return {"returnable": returnable,
            "asked": ([] if known_rows.is_known_empty(order, "line_returns")  # (shop/order/known_rows.py)
                      else list(order.line_returns.select_related("line").order_by("pk"))),
            "days": lifecycle.return_window_days()}

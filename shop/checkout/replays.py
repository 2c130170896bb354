""""Place order" sent again for a basket that is already an order.

A worker can die after the order's transaction committed and before its response reached the
shopper (tests/shop/test_faults.py). The shopper then presses "Place order" again: their basket is
already submitted, the request finds a new empty one, and Oscar would say "your basket is empty" with
no order number. The order's basket is written in the order's own transaction (Order.basket), so the
retry can find it: the basket named by the shopper's basket cookie (a guest) or their own latest
submitted basket (signed in), submitted within REPLAY_WINDOW.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.utils import timezone
from oscar.core.loading import get_model

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")

# Long enough for a shopper to retry after an error page, short enough that an old order is never
# shown for a replayed form found in the browser's history days later.
REPLAY_WINDOW = dt.timedelta(minutes=30)


def _submitted_basket_id(request) -> int | None:
    recent = Basket.objects.filter(status=Basket.SUBMITTED,
                                   date_submitted__gte=timezone.now() - REPLAY_WINDOW)
    if request.user.is_authenticated:
        return recent.filter(owner=request.user).order_by("-date_submitted").values_list("pk", flat=True).first()
    signed = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    if not signed:
        return None
    try:
        basket_id = Signer().unsign(signed)
    except BadSignature:
        return None
    return recent.filter(pk=basket_id, owner=None).values_list("pk", flat=True).first() if basket_id.isdigit() else None


def order_already_placed(request):
    """The order this shopper's "Place order" already made, when this request is its replay: their
    current basket is empty and their last basket became an order moments ago. None otherwise."""
    basket = getattr(request, "basket", None)
    if basket is None or not basket.is_empty:
        return None
    basket_id = _submitted_basket_id(request)
    if basket_id is None:
        return None
    return Order.objects.filter(basket_id=basket_id).order_by("-pk").first()

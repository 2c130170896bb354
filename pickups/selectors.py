"""What a showroom's staff see of pick-ups: their showroom's only, by tab, or found by number or phone."""
from __future__ import annotations

from django.db.models import Q

from shop.order import statuses

from .models import Pickup, State
from .services import digits

TABS = (State.WAITING, State.READY, State.COLLECTED, State.EXPIRED)


def of_showroom(showroom):
    return (Pickup.objects.filter(showroom=showroom)
            .select_related("order", "order__shipping_address", "showroom"))


def tab(showroom, state: str):
    """One tab of the list. A cancelled order (unpaid in time, or by staff) is under "expired"
    whatever its pick-up state, and never under waiting or ready."""
    qs = of_showroom(showroom)
    cancelled = Q(order__status=statuses.CANCELLED)
    if state == State.EXPIRED:
        return qs.filter(Q(state=State.EXPIRED) | (cancelled & ~Q(state=State.COLLECTED)))
    qs = qs.filter(state=state)
    return qs if state == State.COLLECTED else qs.exclude(cancelled)


def counts(showroom) -> dict[str, int]:
    return {state.value: tab(showroom, state).count() for state in TABS}


def find(query: str):
    """Pick-ups of any showroom matching an order number or the shopper's phone (the caller
    decides what to say about another showroom's)."""
    query = (query or "").strip()[:64]
    if not query:
        return Pickup.objects.none()
    phone = digits(query)
    match = Q(order__number=query)
    if len(phone) >= 6:
        match |= Q(phone__endswith=phone) if len(phone) < 9 else Q(phone=phone)
    return (Pickup.objects.filter(match).select_related("order", "order__shipping_address", "showroom")
            .order_by("-created_at")[:20])

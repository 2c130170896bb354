"""What the shopper hears about a pick-up, through the shop's one customer outbox (rows written in
the pick-up's transaction: notifications.services.queue_customer_message); this module is the one
place pick-ups call it."""
from notifications import events
from notifications.services import queue_customer_message

READY = events.ORDER_READY_AT_SHOWROOM
REMINDER = events.PICKUP_REMINDER
CANCELLED = events.ORDER_CANCELLED


def tell_shopper(*, order, code: str) -> None:
    showroom = order.pickup_showroom
    queue_customer_message(order=order, event=code, context={"showroom": showroom.name if showroom else ""})

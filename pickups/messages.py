"""What the shopper hears about a pick-up, through the shop's one customer outbox (the e-mail
codes live with the other order e-mails; this module is the one place pick-ups call it)."""
from notifications import customer

READY = customer.PICKUP_READY
REMINDER = customer.PICKUP_REMINDER
CANCELLED = customer.ORDER_CANCELLED


def tell_shopper(*, order, code: str) -> None:
    customer.notify_on_commit(order=order, code=code)

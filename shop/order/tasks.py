"""Order background jobs. With no broker they run inline (CELERY_TASK_ALWAYS_EAGER)."""
from celery import shared_task

from . import expiry, notifications

# Delivery talks to a mail server: retry with growing pauses (as catalog_ext.tasks does).
RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "retry_backoff_max": 600, "retry_jitter": True,
         "max_retries": 6}


@shared_task(name="shop.order.tasks.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    """Every five minutes (CELERY_BEAT_SCHEDULE): cancel unpaid orders past their deadline."""
    return len(expiry.expire_unpaid_orders())


@shared_task(name="shop.order.tasks.send_order_email", **RETRY)
def send_order_email(order_id: int, code: str) -> bool:
    return notifications.send_order_email(order_id=order_id, code=code)


@shared_task(name="shop.order.tasks.send_return_email", **RETRY)
def send_return_email(return_id: int, code: str) -> bool:
    return notifications.send_return_email(return_id=return_id, code=code)

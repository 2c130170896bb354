"""Order background jobs. With no broker they run inline (CELERY_TASK_ALWAYS_EAGER)."""
from celery import shared_task

from shop.order import expiry


@shared_task(name="shop.order.tasks.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    """Every five minutes (CELERY_BEAT_SCHEDULE): cancel unpaid orders past their deadline."""
    return len(expiry.expire_unpaid_orders())

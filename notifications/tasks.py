"""Notification delivery. Retries with Celery's exponential backoff (1 s, 2 s, 4 s … capped at
10 min); a task that exhausts its retries leaves the row pending, and beat publishes it again."""
from celery import shared_task

from . import delivery, services


@shared_task(name="notifications.tasks.deliver", autoretry_for=(Exception,), retry_backoff=True,
             retry_backoff_max=600, retry_jitter=True, max_retries=8, acks_late=True)
def deliver(notification_id: int) -> bool:
    return services.deliver(notification_id)


@shared_task(name="notifications.tasks.resend_undelivered")
def resend_undelivered() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): whatever a broker outage or a killed worker dropped."""
    return services.resend_undelivered()


@shared_task(name="notifications.tasks.deliver_message", autoretry_for=(Exception,), retry_backoff=True,
             retry_backoff_max=600, retry_jitter=True, max_retries=delivery.MAX_ATTEMPTS, acks_late=True)
def deliver_message(message_id: int) -> bool:
    """One customer message or producer Zalo/SMS (notifications/delivery.py): a temporary error raises
    and is retried with backoff; a permanent one is recorded on the row and not retried."""
    return delivery.deliver_message(message_id)

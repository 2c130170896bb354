"""Notification delivery. Retries with Celery's exponential backoff (1 s, 2 s, 4 s … capped at
10 min); a task that exhausts its retries leaves the row pending, and beat publishes it again."""
from celery import shared_task

from . import certificates, customer, services

# Delivery talks to a mail server: retry with growing pauses (1 s, 2 s, 4 s … capped at 10 min).
RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "retry_backoff_max": 600, "retry_jitter": True,
         "max_retries": 6}


@shared_task(name="notifications.tasks.deliver", autoretry_for=(Exception,), retry_backoff=True,
             retry_backoff_max=600, retry_jitter=True, max_retries=8, acks_late=True)
def deliver(notification_id: int) -> bool:
    return services.deliver(notification_id)


@shared_task(name="notifications.tasks.resend_undelivered")
def resend_undelivered() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): whatever a broker outage or a killed worker dropped."""
    return services.resend_undelivered()


@shared_task(name="notifications.tasks.send_certificate_expiry_reminders", **RETRY)
def send_certificate_expiry_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): queue every reminder due today; idempotent, so re-running is safe."""
    return len(certificates.queue_expiry_reminders())


@shared_task(name="notifications.tasks.deliver_certificate_reminder", **RETRY)
def deliver_certificate_reminder(reminder_id: int) -> bool:
    return certificates.deliver_reminder(reminder_id=reminder_id)


@shared_task(name="notifications.tasks.send_order_email", **RETRY)
def send_order_email(order_id: int, code: str) -> bool:
    return customer.send_order_email(order_id=order_id, code=code)

"""OCOP background jobs. With no broker they run inline (CELERY_TASK_ALWAYS_EAGER)."""
from celery import shared_task

from . import notifications

# Delivery talks to a mail server: retry with growing pauses (1 s, 2 s, 4 s … capped at 10 min).
RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "retry_backoff_max": 600, "retry_jitter": True,
         "max_retries": 6}


@shared_task(name="catalog_ext.tasks.send_certificate_expiry_reminders", **RETRY)
def send_certificate_expiry_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): queue every reminder due today; idempotent, so re-running is safe."""
    return len(notifications.queue_expiry_reminders())


@shared_task(name="catalog_ext.tasks.deliver_certificate_reminder", **RETRY)
def deliver_certificate_reminder(reminder_id: int) -> bool:
    return notifications.deliver_reminder(reminder_id=reminder_id)

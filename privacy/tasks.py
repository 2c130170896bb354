from celery import shared_task

from . import erasure


@shared_task(name="privacy.tasks.anonymise_expired_personal_data")
def anonymise_expired_personal_data() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): guests' and closed accounts' orders past the retention period."""
    return erasure.anonymise_expired()

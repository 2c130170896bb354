"""The Celery app: configuration comes from Django settings (CELERY_* names).

With no broker configured (no REDIS_URL / CELERY_BROKER_URL) tasks run eagerly, inline.
Worker: `celery -A shop worker`; beat: `celery -A shop beat`.
"""
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def keep_django_logging(**kwargs):
    """The worker logs through settings.LOGGING (request ids, LOG_FORMAT=json), not Celery's own set-up."""

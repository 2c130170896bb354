"""The Celery app: configuration comes from Django settings (CELERY_* names).

With no broker configured (no REDIS_URL / CELERY_BROKER_URL) tasks run eagerly, inline.
Worker: `celery -A shop worker`; beat: `celery -A shop beat`.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

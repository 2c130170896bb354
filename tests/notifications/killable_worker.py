"""A Celery worker in its own process whose deliveries hang just before sending, so a test can kill
it (SIGKILL) in the middle of one. Usage: python -m tests.notifications.killable_worker MARKER_FILE.
The environment (DATABASE_URL, REDIS_URL) points it at the test's database and broker."""
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

import django  # noqa: E402

django.setup()

from notifications import renderers  # noqa: E402
from shop.celery import app  # noqa: E402

marker = Path(sys.argv[1])


def stuck(notification):
    marker.write_text(str(notification.pk))  # the row is locked, the transaction open
    time.sleep(600)


renderers.send = stuck
app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING", "--without-mingle", "--without-gossip",
                 "--without-heartbeat"])

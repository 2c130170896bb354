"""A Celery worker in its own process whose first delivery hangs just before sending, so a test can
kill it (SIGKILL) in the middle of one; later deliveries (the marker file exists) send as usual.
Usage: python -m tests.notifications.killable_worker MARKER_FILE [POOL] (solo by default; with
prefork the marker holds the pool process's pid, which the test may kill alone).
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
pool = sys.argv[2] if len(sys.argv) > 2 else "solo"
real_send = renderers.send


def stuck(notification):
    if marker.exists():
        return real_send(notification)
    marker.write_text(f"{notification.pk} {os.getpid()}")  # the row is locked, the transaction open
    time.sleep(600)


renderers.send = stuck
app.worker_main(["worker", f"--pool={pool}", "--concurrency=1", "--loglevel=WARNING", "--without-mingle",
                 "--without-gossip", "--without-heartbeat"])

"""Housekeeping tasks of the project itself (apps keep their own tasks.py)."""
from celery import shared_task
from django.core.management import call_command


@shared_task(name="shop.tasks.clear_expired_sessions")
def clear_expired_sessions():
    call_command("clearsessions")


@shared_task(name="shop.tasks.make_thumbnail", autoretry_for=(OSError,), retry_backoff=True, max_retries=3,
             soft_time_limit=60, time_limit=90)
def make_thumbnail(name: str, geometry_string: str, options: dict, storage: str | None = None):
    """One thumbnail of a stored picture, within the pixel limit (shop/thumbnails.py)."""
    from .thumbnails import make

    make(name, geometry_string, options, storage)

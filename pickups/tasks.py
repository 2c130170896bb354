from celery import shared_task

from . import services


@shared_task(name="pickups.tasks.remind_and_expire_pickups")
def remind_and_expire_pickups() -> dict:
    """Beat, hourly: remind shoppers of orders waiting at a showroom, cancel those never collected."""
    return {"reminded": services.remind_uncollected(), "expired": services.expire_uncollected()}

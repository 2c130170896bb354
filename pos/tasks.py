"""POS background jobs (inline without a broker)."""
from celery import shared_task

from shop.order.tasks import RETRY


@shared_task(name="pos.tasks.send_transfer_email", **RETRY)
def send_transfer_email(transfer_id: int) -> bool:
    from . import notify

    return notify.send_transfer_email(transfer_id)

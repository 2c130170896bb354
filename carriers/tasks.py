"""Beat: ask the carrier about parcels whose webhooks have gone quiet."""
from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import shipments
from .base import CarrierError, CarrierStatus
from .models import Shipment

logger = logging.getLogger(__name__)
BATCH = 200


def quiet_shipments():
    since = timezone.now() - timedelta(minutes=settings.CARRIER_POLL_QUIET_MINUTES)
    return (Shipment.objects.filter(status__in=CarrierStatus.OPEN).exclude(waybill="")
            .filter(Q(last_heard_at__lt=since) | Q(last_heard_at__isnull=True)).order_by("last_heard_at", "pk"))


@shared_task(ignore_result=True)
def poll_quiet_shipments() -> dict:
    """Each quiet parcel's status from the carrier; a carrier that fails is tried again next run."""
    counts = {"polled": 0, "changed": 0, "failed": 0}
    for shipment in quiet_shipments()[:BATCH]:
        counts["polled"] += 1
        try:
            counts["changed"] += int(shipments.refresh(shipment, source="poll"))
        except CarrierError:
            counts["failed"] += 1
            Shipment.objects.filter(pk=shipment.pk).update(last_heard_at=timezone.now())  # not every 15 min
    if counts["polled"]:
        logger.info("carrier poll: %s", counts)
    return counts

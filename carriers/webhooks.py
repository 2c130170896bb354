"""The carriers' status webhooks.

Neither GHN nor GHTK signs its callbacks. GHN posts JSON to the URL the shop registers with GHN
(https://api.ghn.vn/home/docs/detail?id=47: OrderCode, Status, Type, ShopID, CODAmount, Time, …;
anything but 200 is retried 10 times, 5 s apart); GHTK posts a form to the URL the shop registers,
with a `hash` the shop chooses in it (https://api.ghtk.vn/en/docs/submit-order/webhook:
label_id, partner_id, status_id, action_time, …; anything but 200 is sent once more).
So, as documented, the URL carries a secret (GHN_WEBHOOK_SECRET in the path, GHTK_WEBHOOK_SECRET
as ?hash=), checked in constant time; and the notification is then only a hint: the status
applied is the one the carrier's own API returns for that waybill (shipments.refresh), so a
forged or replayed callback cannot move an order, and a repeated status is recorded once.
When the carrier's API does not answer, the callback is still acknowledged (200) and the beat
task polls the parcel later (it counts as quiet).
"""
from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import ratelimits

from . import shipments
from .base import CarrierError
from .models import Shipment

logger = logging.getLogger(__name__)


def _secret_ok(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(str(given).encode(), expected.encode())


def _refresh(carrier: str, code: str):
    shipment = Shipment.objects.filter(carrier=carrier, waybill=code[:64]).first() if code else None
    if shipment is None:
        logger.info("%s webhook for unknown waybill %r ignored", carrier, code[:64])
        return JsonResponse({"success": True, "known": False})
    try:
        changed = shipments.refresh(shipment, source="webhook")
    except CarrierError:
        return JsonResponse({"success": True, "confirmed": False})  # beat polls it later
    return JsonResponse({"success": True, "confirmed": True, "changed": changed})


@csrf_exempt
@require_POST
@ratelimits.limit("carrier-webhook", "RATELIMIT_WEBHOOK")
@transaction.non_atomic_requests  # the carrier's API is asked outside any transaction
def ghn(request, secret):
    if not _secret_ok(secret, settings.GHN_WEBHOOK_SECRET):
        return JsonResponse({"success": False}, status=401)
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return JsonResponse({"success": False, "message": "not JSON"}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"success": False, "message": "not an object"}, status=400)
    if settings.GHN_SHOP_ID and str(data.get("ShopID", "")) not in ("", str(settings.GHN_SHOP_ID)):
        return JsonResponse({"success": False, "message": "another shop"}, status=400)
    code = data.get("OrderCode")
    return _refresh("ghn", code if isinstance(code, str) else "")


@csrf_exempt
@require_POST
@ratelimits.limit("carrier-webhook", "RATELIMIT_WEBHOOK")
@transaction.non_atomic_requests
def ghtk(request):
    if not _secret_ok(request.GET.get("hash", ""), settings.GHTK_WEBHOOK_SECRET):
        return JsonResponse({"success": False}, status=401)
    code = request.POST.get("label_id", "")
    return _refresh("ghtk", code if isinstance(code, str) else "")

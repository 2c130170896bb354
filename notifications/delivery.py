"""Delivering one outbox message by its channel, and what beat does with those left behind.

- E-mail (free): the row is locked, the e-mail sent and the row marked sent in one transaction. A
  worker killed in the middle rolls the row back to pending and it is sent again: at worst one
  e-mail twice, never none.
- Zalo and SMS (paid per message): never twice for one event. The row is first claimed (status
  "sending", committed), then the provider is called, then the outcome recorded. A worker killed
  after the claim leaves the row "sending": beat hands an SMS back to pending after STALE_SENDING
  (eSMS refuses a second request with the same RequestId, so the re-send cannot send twice) and
  marks a Zalo message failed "outcome unknown" for a person to check (Zalo keeps no such key).
- A temporary provider error puts the row back to pending and the task retries with backoff; after
  MAX_ATTEMPTS, or at once for a permanent error, the row is failed with the reason, shown to staff.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from . import customer, texts
from .channels import sms, zns
from .channels.errors import PermanentError, TemporaryError
from .models import Channel, Message, MessageStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STALE_SENDING = dt.timedelta(minutes=10)


def request_id(message) -> str:
    """The provider-side key of this message: the same on every attempt."""
    return f"ocop-msg-{message.pk}"


def send_by_channel(message) -> str:
    """Hand the message to its channel; returns the provider's id (or the e-mail address)."""
    if message.channel == Channel.EMAIL:
        if message.order_id is None:
            raise PermanentError("an e-mail message without its order")
        return customer.send_email(message)
    if message.channel == Channel.ZNS:
        template = zns.template_id(message.event)
        if not (zns.is_configured() and template):
            raise PermanentError("Zalo is no longer configured for this event")
        return zns.send(phone=message.recipient, template=template, tracking_id=request_id(message),
                        data=texts.zns_data(message.event, message.payload))
    if message.channel == Channel.SMS:
        if not sms.is_configured():
            raise PermanentError("SMS is no longer configured")
        return sms.send(phone=message.recipient, request_id=request_id(message),
                        text=texts.sms_text(message.event, message.payload, message.language))
    raise PermanentError(f"unknown channel {message.channel!r}")


def deliver_message(message_id: int) -> bool:
    """Send one message, once. True when sent now; False when there was nothing to send (already
    sent, claimed by another worker, failed, no longer needed). Raises TemporaryError (or the e-mail
    backend's error) when a later attempt may succeed: the task retries with backoff."""
    channel = Message.objects.filter(pk=message_id).values_list("channel", flat=True).first()
    if channel is None:
        return False
    if channel == Channel.EMAIL:
        return _deliver_locked(message_id)
    return _deliver_claimed(message_id)


def _error_text(exc) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _deliver_locked(message_id: int) -> bool:
    error = None
    with transaction.atomic():
        message = (Message.objects.select_for_update(of=("self",), no_key=True).select_related("order")
                   .filter(pk=message_id, status=MessageStatus.PENDING).first())
        if message is None:
            return False
        if customer.no_longer_needed(message):
            message.status = MessageStatus.SKIPPED
            message.save(update_fields=["status"])
            return False
        message.attempts += 1
        try:
            message.provider_ref = send_by_channel(message)[:100]
        except PermanentError as exc:
            message.status, message.last_error = MessageStatus.FAILED, _error_text(exc)
        except Exception as exc:
            error, message.last_error = exc, _error_text(exc)
            if message.attempts >= MAX_ATTEMPTS:
                message.status, error = MessageStatus.FAILED, None
        else:
            message.status, message.sent_at = MessageStatus.SENT, timezone.now()
        message.save(update_fields=["attempts", "status", "last_error", "provider_ref", "sent_at"])
    if error is not None:
        raise error
    return message.status == MessageStatus.SENT


def _deliver_claimed(message_id: int) -> bool:
    with transaction.atomic():
        message = (Message.objects.select_for_update(of=("self",), skip_locked=True, no_key=True).select_related("order")
                   .filter(pk=message_id, status=MessageStatus.PENDING).first())
        if message is None:
            return False
        if customer.no_longer_needed(message):
            message.status = MessageStatus.SKIPPED
            message.save(update_fields=["status"])
            return False
        message.status, message.claimed_at = MessageStatus.SENDING, timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts"])
    # Committed: from here a killed worker leaves the row "sending", never pending (see the module).
    try:
        reference = send_by_channel(message)
    except PermanentError as exc:
        _finish(message, MessageStatus.FAILED, error=_error_text(exc))
        return False
    except Exception as exc:  # TemporaryError, or a bug: the provider did not take it
        gave_up = message.attempts >= MAX_ATTEMPTS
        _finish(message, MessageStatus.FAILED if gave_up else MessageStatus.PENDING, error=_error_text(exc))
        if gave_up:
            return False
        raise TemporaryError(_error_text(exc)) from exc
    _finish(message, MessageStatus.SENT, reference=reference)
    logger.info("Message %s (%s by %s) sent", message.pk, message.event, message.channel)
    return True


def _finish(message, status: str, *, error: str = "", reference: str = "") -> None:
    fields = {"status": status, **({"last_error": error} if error else {})}
    if status == MessageStatus.SENT:
        fields.update(sent_at=timezone.now(), provider_ref=reference[:100], last_error="")
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(**fields)


def release_stale(*, now=None) -> tuple[int, int]:
    """Rows left "sending" by a worker that died: SMS back to pending (eSMS dedupes its RequestId),
    Zalo failed for a person. Returns (released, failed)."""
    cutoff = (now or timezone.now()) - STALE_SENDING
    stale = Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=cutoff)
    released = stale.filter(channel=Channel.SMS).update(status=MessageStatus.PENDING,
                                                         last_error="worker stopped while sending; re-sent")
    failed = stale.exclude(channel=Channel.SMS).update(
        status=MessageStatus.FAILED, last_error="worker stopped while sending: outcome unknown, check the "
                                                "provider's log before sending it again")
    return released, failed


def undelivered_ids(*, older_than: dt.timedelta, limit: int) -> list[int]:
    """Messages beat publishes again: pending after `older_than` (broker down, task lost)."""
    release_stale()
    return list(Message.objects.pending().filter(created_at__lt=timezone.now() - older_than)
                .order_by("pk").values_list("pk", flat=True)[:limit])

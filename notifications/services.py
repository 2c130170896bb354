"""Writing notifications and messages to the outbox and delivering them: the one place that decides how.

Public functions other apps call (each inside the event's transaction):
- `queue_customer_message(order=, event=, context=None, occurrence="")`: tell the shopper of an
  order event (notifications.events: ORDER_PLACED, PAYMENT_RECEIVED, ORDER_CANCELLED, ORDER_SHIPPED,
  ORDER_READY_AT_SHOWROOM, ORDER_DELIVERED, ORDER_REFUSED) by every channel they hear by.
- `queue_new_order`, `queue_low_stock`, `queue_certificate_reminder`, `queue_shelf_transfer`: tell
  a producer (e-mail and portal notice; Zalo/SMS too for new orders and certificate reminders).

1. `queue_*` write the row inside the caller's transaction (the order's, the stock change's), and
   ask for its delivery once that transaction commits. A rolled-back order leaves no row and sends
   nothing; a committed one always has its row, whatever the broker does next.
2. Publishing never raises and never waits long: a broker that is down costs one refused
   connection (CELERY_TASK_PUBLISH_RETRY_POLICY bounds the retries), then publishing pauses for a
   few seconds so a burst of orders is not slowed down by it. `resend_undelivered` (beat, every
   minute) publishes whatever is still pending.
3. `deliver` locks the row, sends, and marks it sent in one transaction: a second task for the same
   row (a re-send, a redelivered message after a worker died) finds it sent and does nothing.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from core.ids import row_ids

from . import events, recipients, renderers
from .models import Kind, Message, Notification, Status

logger = logging.getLogger(__name__)

# A notification still pending after this long is taken as lost (broker down, worker killed).
RESEND_AFTER = dt.timedelta(minutes=1)
# A notification that failed this many times is left for a person (its last_error says why) rather
# than re-sent every minute for ever.
GIVE_UP_AFTER_ATTEMPTS = 50
# After a failed publish, stop trying for this long: beat re-sends what is pending.
BROKER_PAUSE_SECONDS = 5.0
_broker_down_until = 0.0


def queue(*, kind: str, partner, dedupe_key: str, order=None, payload: dict | None = None) -> Notification | None:
    """Record a notification (once per dedupe_key) and publish it after commit. Returns the new row,
    or None when this event was already recorded."""
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            dedupe_key=dedupe_key, defaults={"kind": kind, "partner": partner, "order": order,
                                             "payload": payload or {}})
    if not created:
        return None
    notification_id = notification.pk
    transaction.on_commit(lambda: publish([notification_id]))
    if kind in PRODUCER_PHONE_EVENTS:
        queue_producer_phone_messages(notification)
    return notification


# ------------------------------------------------------------------------------ messages by channel
# Producer notifications that also go by Zalo/SMS when the producer chose it (issue: Vietnam's rails).
PRODUCER_PHONE_EVENTS = {Kind.NEW_ORDER: events.PRODUCER_NEW_ORDER, Kind.CERT_EXPIRY: events.CERT_EXPIRY}


def _record_messages(*, event: str, key: str, addresses, order=None, partner=None, payload: dict,
                     language: str, fresh: bool = False) -> list[Message]:
    """One row per (event, channel) — the unique key is what makes a paid message exist once — and
    their delivery asked for once the caller's transaction commits. `fresh`: the key names a row made
    in the caller's transaction (an order just placed), so no message can have it yet: the rows are
    one INSERT, not a read and an insert in two savepoints per channel."""
    made = []
    rows = [Message(key=f"{key}:{channel}"[:200], event=event, channel=channel, order=order, partner=partner,
                    recipient=address, payload=payload, language=language) for channel, address in addresses]
    if fresh:
        made = Message.objects.bulk_create(rows) if rows else []
    else:
        for row in rows:
            with transaction.atomic():
                message, created = Message.objects.get_or_create(
                    key=row.key, defaults={"event": event, "channel": row.channel, "order": order, "partner": partner,
                                           "recipient": row.recipient, "payload": payload, "language": language})
            if created:
                made.append(message)
    ids = [message.pk for message in made]
    if ids:
        transaction.on_commit(lambda: publish_messages(ids))
    return made


def queue_customer_message(*, order, event: str, context: dict | None = None, occurrence: str = "",
                           language: str | None = None, fresh: bool = False) -> list[Message]:
    """Tell the shopper of `order` about `event`, once per event and channel, by the channels they hear
    by (notifications/recipients.py). Call it inside the event's transaction: a rolled-back event
    sends nothing, a committed one always has its rows. `context` adds to what the messages show
    (e.g. {"showroom": "Điểm OCOP Mộc Châu"} for ORDER_READY_AT_SHOWROOM); `occurrence` tells apart
    events that may happen more than once for one order (e.g. a second delivery attempt). Returns
    the new rows ([] when this event was already queued). `fresh`: `order` was made in this transaction
    (the checkout's confirmation): nothing to look up before writing."""
    from django.utils.translation import get_language

    from . import customer

    if event not in events.CUSTOMER_EVENTS:
        raise ValueError(f"unknown customer event {event!r}")
    key = f"{event}:order-{order.pk}" + (f":{occurrence}" if occurrence else "")
    return _record_messages(event=event, key=key, addresses=recipients.customer_addresses(order, event),
                            order=order, payload=customer.payload_for(order, context=context),
                            language=language or get_language() or "vi", fresh=fresh)


def queue_producer_phone_messages(notification, fresh: bool = False, **preference) -> list[Message]:
    """Zalo/SMS for a producer notification, as the producer chose (its e-mail and portal notice are
    the Notification itself). `preference=`: the producer's ContactPreference (or None) when the
    caller has read it already. `fresh`: the notification's order was made in this transaction."""
    event = PRODUCER_PHONE_EVENTS[notification.kind]
    partner, payload = notification.partner, dict(notification.payload)
    payload.update(producer=partner.name, total=payload.get("subtotal", payload.get("total", 0)),
                   certificate=payload.get("number", "") if event == events.CERT_EXPIRY else "")
    return _record_messages(event=event, key=notification.dedupe_key, partner=partner, order=notification.order,
                            addresses=recipients.producer_phone_addresses(partner, event, **preference),
                            payload=payload,
                            language="vi", fresh=fresh)


# What queue_new_order reads of each producer besides its row: a caller that read the partners with
# these (OrderCreator, with the stock rows it locks) hands them over on the lines, and no query is made.
NEW_ORDER_PARTNER_RELATED = ("showroom", "contact_preference")


def _partners_of(lines) -> dict:
    """{partner id: partner with NEW_ORDER_PARTNER_RELATED}: the lines' own when they carry them all."""
    from oscar.core.loading import get_model

    Partner = get_model("partner", "Partner")
    ids = {line.partner_id for line in lines}
    given = {line.partner_id: line.partner for line in lines if type(line).partner.is_cached(line)}
    if given.keys() == ids and all(getattr(Partner, name).is_cached(partner)
                                   for partner in given.values() for name in NEW_ORDER_PARTNER_RELATED):
        return given
    return Partner.objects.filter(pk__in=ids).select_related(*NEW_ORDER_PARTNER_RELATED).in_bulk() if ids else {}


def queue_new_order(order, lines=None) -> list[Notification]:
    """One notification per producer with lines in `order`: their lines and their subtotal. Lines
    sold from a showroom's shelf (a counter sale) are nobody's to fulfil.

    `lines`: the order's lines as OrderCreator wrote them in this transaction (it sends them with
    order_placed). The order did not exist before this transaction, so no notification can name it
    yet: nothing is read to skip producers already told. Without `lines` (the event queued again),
    the lines are read and a producer already told is skipped.

    Written together, whatever the number of producers: one query for the producers (their showroom,
    if they are a shelf, and their contact preferences; none when the lines bring them, as
    OrderCreator's do) and one INSERT."""
    fresh = lines is not None
    lines = [line for line in (lines if fresh else order.lines.all()) if line.partner_id]
    partners = _partners_of(lines)
    by_partner = defaultdict(list)
    for line in sorted(lines, key=lambda line: line.pk):
        partner = partners[line.partner_id]
        if getattr(partner, "showroom", None) is None:
            by_partner[partner].append(line)
    rows = []
    for partner, theirs in sorted(by_partner.items(), key=lambda item: item[0].pk):
        payload = {
            "number": str(order.number),
            "lines": [{"title": line.title, "sku": line.partner_sku, "quantity": line.quantity,
                       "total": int(line.line_price_incl_tax)} for line in theirs],
            "subtotal": int(sum(line.line_price_incl_tax for line in theirs)),
            "currency": order.currency,
        }
        rows.append(Notification(kind=Kind.NEW_ORDER, partner=partner, order=order, payload=payload,
                                 dedupe_key=f"new_order:{order.pk}:{partner.pk}"))
    if rows and not fresh:
        told = set(Notification.objects.filter(dedupe_key__in=[row.dedupe_key for row in rows])
                   .values_list("dedupe_key", flat=True))
        rows = [row for row in rows if row.dedupe_key not in told]
    if not rows:
        return []
    made = Notification.objects.bulk_create(rows)
    ids = [notification.pk for notification in made]
    transaction.on_commit(lambda: publish(ids))
    for notification in made:
        queue_producer_phone_messages(notification, fresh=fresh,
                                      preference=getattr(notification.partner, "contact_preference", None))
    return made


def queue_low_stock(alert) -> Notification | None:
    """Oscar opens a StockAlert when a record falls below its threshold and closes it when stock is
    back above: one alert per crossing, so one notification per crossing."""
    record = alert.stockrecord
    if not record.partner_id or is_showroom_partner(record.partner):
        return None  # a shelf running low is the showroom's business (its shelf page), not a producer's
    payload = {"title": record.product.get_title(), "sku": record.partner_sku, "product_id": record.product_id,
               "available": max(record.net_stock_level, 0), "threshold": alert.threshold}
    return queue(kind=Kind.LOW_STOCK, partner=record.partner, payload=payload,
                 dedupe_key=f"low_stock:{alert.pk}")


def queue_certificate_reminder(reminder) -> Notification | None:
    """catalog_ext's expiry reminder (one per certificate and threshold) goes out through the outbox."""
    certificate = reminder.certificate
    product = certificate.product
    payload = {"reminder_id": reminder.pk, "title": product.get_title(), "product_id": product.pk,
               "number": certificate.number, "expires_on": certificate.expires_on.isoformat(),
               "threshold_days": reminder.threshold_days}
    return queue(kind=Kind.CERT_EXPIRY, partner=product.producer, payload=payload,
                 dedupe_key=f"cert_expiry:{reminder.pk}")


def queue_shelf_transfer(transfer) -> Notification | None:
    """A showroom took units of the producer's products onto its shelf (pos.stock.transfer)."""
    payload = {"showroom": transfer.showroom.name, "reference": transfer.reference,
               "lines": [{"title": line.product.title, "quantity": line.quantity}
                         for line in transfer.lines.select_related("product").order_by("pk")]}
    payload["units"] = sum(line["quantity"] for line in payload["lines"])
    return queue(kind=Kind.SHELF_TRANSFER, partner=transfer.producer, payload=payload,
                 dedupe_key=f"shelf_transfer:{transfer.pk}")


ORDER_EVENT_KINDS = {"delivered": Kind.DELIVERED, "refused": Kind.REFUSED, "return": Kind.RETURN}


def queue_order_event(*, order, partner, event: str, lines, extra: dict, key) -> Notification | None:
    """A producer's lines were delivered, refused at the door (the goods come back to them), or a
    shopper's return of them was accepted (shop/order/lifecycle.py). Once per event, producer and key."""
    kind = ORDER_EVENT_KINDS[event]
    payload = {"number": str(order.number),
               "lines": [{"title": line.title, "quantity": line.quantity} for line in lines], **extra}
    return queue(kind=kind, partner=partner, order=order, payload=payload,
                 dedupe_key=f"{event}:{order.pk}:{partner.pk}:{key}"[:128])


def is_showroom_partner(partner) -> bool:
    from showrooms.models import Showroom

    return Showroom.objects.filter(partner=partner).exists()


def publish(notification_ids) -> int:
    """Hand deliveries to the broker; never raises. Returns how many were published."""
    from .tasks import deliver

    return _publish(deliver, notification_ids, what="Notification")


def publish_messages(message_ids) -> int:
    """Hand message deliveries to the broker; never raises. Returns how many were published."""
    from .tasks import deliver_message

    return _publish(deliver_message, message_ids, what="Message")


def _publish(task, ids, *, what: str) -> int:
    global _broker_down_until
    published = 0
    for row_id in ids:
        if time.monotonic() < _broker_down_until:
            break
        try:
            task.delay(row_id)
        except Exception:
            if task.app.conf.task_always_eager:  # no broker: the delivery itself failed, inline
                logger.warning("%s %s not delivered; beat re-sends it", what, row_id, exc_info=True)
                continue
            # The broker refused: the row is safe, beat re-sends it.
            _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
            logger.warning("Broker unavailable: %s %s will be re-sent by beat", what.lower(), row_id,
                           exc_info=True)
            break
        published += 1
    return published


def publish_pending(dedupe_key: str) -> int:
    """Publish the notification of this event again if it is still pending."""
    return publish(Notification.objects.pending().filter(dedupe_key=dedupe_key).values_list("pk", flat=True))


def tasks_app():
    from .tasks import deliver

    return deliver.app


def broker_is_back() -> None:
    """Forget a failed publish (tests; a re-send run also tries again once its pause is over)."""
    global _broker_down_until
    _broker_down_until = 0.0


def deliver(notification_id: int) -> bool:
    """Send one notification, once. True when sent now; False when already sent (or gone). A failed
    send records the attempt and raises, so the task retries with backoff."""
    error = None
    with transaction.atomic():
        notification = (Notification.objects.select_for_update(of=("self",), no_key=True).select_related("partner")
                        .filter(pk=notification_id).first())
        if notification is None or notification.status == Status.SENT:
            return False
        notification.attempts += 1
        try:
            recipients = renderers.send(notification)
        except Exception as exc:
            error = exc
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            notification.save(update_fields=["attempts", "last_error"])
        else:
            notification.status, notification.sent_at = Status.SENT, timezone.now()
            notification.recipients = ", ".join(recipients)
            notification.save(update_fields=["attempts", "status", "sent_at", "recipients"])
    if error is not None:
        raise error
    # With the request id of the request that queued it (core/request_id.py carries it into the task).
    logger.info("Notification %s (%s) delivered to %s", notification.pk, notification.kind, notification.recipients)
    return True


def resend_undelivered(*, older_than: dt.timedelta = RESEND_AFTER, limit: int = 1000) -> int:
    """Publish again every notification and message still pending after `older_than` (beat, every
    minute). Returns how many were published."""
    from .delivery import undelivered_ids

    broker_is_back()
    ids = list(Notification.objects.pending()
               .filter(created_at__lt=timezone.now() - older_than, attempts__lt=GIVE_UP_AFTER_ATTEMPTS)
               .order_by("pk").values_list("pk", flat=True)[:limit])
    return publish(ids) + publish_messages(undelivered_ids(older_than=older_than, limit=limit))


def mark_read(*, partner, ids=None) -> int:
    """The producer has seen these notices (all unread ones when ids is None)."""
    qs = Notification.objects.for_partner(partner).unread()
    if ids is not None:  # an id that is no number names no notice (it raised ValueError in the filter)
        qs = qs.filter(pk__in=row_ids(ids))
    return qs.update(read_at=timezone.now())

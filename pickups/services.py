"""A pick-up's steps, each one function, idempotent, called by every channel (checkout, the
showroom's counter, the beat task). Rules here; views only ask.

placed → (waiting for the producer's goods →) ready → collected, or expired when not collected in
time: within PICKUP_HOLD_DAYS of being ready, or, for goods the producer never brought, within
PICKUP_GOODS_DAYS of being placed (one rule: Pickup.expires_at, as a query overdue()). Expiring
cancels the order through shop.order.services.cancel_order, whose stock ledger frees every unit it
held: on the showroom's shelf for goods already there, on the producer's record for the rest.
"""
from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from oscar.core.loading import get_model

from shop.order import lifecycle, statuses
from shop.order import services as order_services

from . import messages, stock_moves
from .models import Pickup, Receipt, State

Order = get_model("order", "Order")


class PickupError(Exception):
    """A rule said no; str(exc) is the message staff read (translated)."""


def digits(phone) -> str:
    """'+84 912 345 678' and '0912.345.678' -> '0912345678' (how the counter searches)."""
    raw = re.sub(r"\D", "", str(phone or ""))
    if raw.startswith("84") and len(raw) >= 11:
        raw = "0" + raw[2:]
    return raw[:20]


def hold_days() -> int:
    return settings.PICKUP_HOLD_DAYS


def goods_days() -> int:
    return settings.PICKUP_GOODS_DAYS


def collect_by(pickup) -> dt.datetime | None:
    """The moment an uncollected ready order is cancelled."""
    return pickup.collect_by


def open_pickup(*, order, from_shelf: bool) -> Pickup:
    """Called in the order's transaction (shop/order/utils.py): ready now when every line was
    reserved on the shelf, else waiting for the producers to bring their goods."""
    address = order.shipping_address
    pickup, created = Pickup.objects.get_or_create(order=order, defaults={
        "showroom_id": order.pickup_showroom_id, "from_shelf": from_shelf,
        "phone": digits(address.phone_number if address else ""),
        "state": State.READY if from_shelf else State.WAITING, "ready_at": timezone.now() if from_shelf else None})
    if created and from_shelf:
        _tell_ready(pickup, order)
    return pickup


def _tell_ready(pickup, order) -> None:
    """The "ready to collect" e-mail, once, and only when nothing is left to pay online first
    (an order awaiting its transfer or card payment is told when that arrives: notify_ready_paid)."""
    if pickup.ready_notified_at or order.status in statuses.UNPAID or order.status == statuses.CANCELLED:
        return
    Pickup.objects.filter(pk=pickup.pk).update(ready_notified_at=timezone.now())
    messages.tell_shopper(order=order, code=messages.READY)


def lines_waiting(pickup):
    """Lines whose goods the producer has not brought yet (not on the shelf's record)."""
    shelf = pickup.showroom.partner_id
    return [line for line in pickup.order.lines.select_related("stockrecord", "product").order_by("pk")
            if line.stockrecord is None or line.stockrecord.partner_id != shelf]


def _locked(pickup_id) -> Pickup:
    return Pickup.objects.select_for_update(of=("self",), no_key=True).select_related("showroom", "order").get(pk=pickup_id)


def check_showroom(pickup, showroom) -> None:
    if pickup.showroom_id != showroom.pk:
        raise PickupError(gettext("Order %(number)s is to be collected at %(showroom)s (%(address)s), not here.")
                          % {"number": pickup.order.number, "showroom": pickup.showroom.name,
                             "address": pickup.showroom.address})


@transaction.atomic
def receive_goods(*, pickup_id: int, showroom, line_ids=None, user=None) -> int:
    """The producer brought the goods of some (default: all) waiting lines to the showroom: their
    units move to the shelf, reserved for the order. Ready once nothing waits. Returns the number
    of lines received now (0: already received, e.g. a second click)."""
    pickup = _locked(pickup_id)
    check_showroom(pickup, showroom)
    if pickup.state in (State.COLLECTED, State.EXPIRED) or pickup.order.status == statuses.CANCELLED:
        raise PickupError(gettext("Order %(number)s is closed (%(state)s): nothing to receive.")
                          % {"number": pickup.order.number, "state": _state_label(pickup)})
    waiting = lines_waiting(pickup)
    if line_ids is not None:
        wanted = {int(pk) for pk in line_ids}
        if not wanted.issubset({line.pk for line in pickup.order.lines.all()}):
            raise PickupError(gettext("Some of these lines are not in order %(number)s.")
                              % {"number": pickup.order.number})
        waiting = [line for line in waiting if line.pk in wanted]
    for line in waiting:
        stock_moves.move_line_to_shelf(line, pickup.showroom, actor=user)
        Receipt.objects.create(pickup=pickup, line=line, quantity=line.quantity, received_by=user)
        if statuses.LINE_SHIPPED in line.available_statuses():
            line.set_status(statuses.LINE_SHIPPED)  # the producer's part is done: at the showroom
    if pickup.state == State.WAITING and not lines_waiting(pickup):
        pickup.state, pickup.ready_at = State.READY, timezone.now()
        pickup.save(update_fields=["state", "ready_at"])
        _tell_ready(pickup, pickup.order)
    return len(waiting)


def _state_label(pickup) -> str:
    return str(State(pickup.state).label)


@transaction.atomic
def hand_over(*, pickup_id: int, showroom, user=None) -> tuple[Pickup, bool]:
    """The shopper has the goods: stock consumed from the shelf, the order Delivered. Returns
    (pickup, False) when it was already handed over (two cashiers, a double click): nothing twice."""
    pickup = _locked(pickup_id)
    check_showroom(pickup, showroom)
    if pickup.state == State.COLLECTED:
        return pickup, False
    check_can_hand_over(pickup)
    order = Order.objects.select_for_update(of=("self",), no_key=True).get(pk=pickup.order_id)
    if not order_services.is_paid(order):
        raise PickupError(gettext("Order %(number)s is not paid yet: take the payment first.")
                          % {"number": order.number})
    if order.status in statuses.UNPAID:
        order.set_status(statuses.PROCESSING)
    # The order's one path to Delivered, as for a parcel at the door: shelf stock handed over, the
    # producers credited (settlement), the shopper told.
    lifecycle.deliver(order=order, actor=user, channel="showroom")
    pickup.state, pickup.collected_at, pickup.collected_by = State.COLLECTED, timezone.now(), user
    pickup.save(update_fields=["state", "collected_at", "collected_by"])
    return pickup, True


def check_can_hand_over(pickup) -> None:
    """Raises PickupError with the reason when the goods cannot be handed over now."""
    if pickup.state == State.EXPIRED or pickup.order.status == statuses.CANCELLED:
        raise PickupError(gettext("Order %(number)s was cancelled: it can no longer be collected.")
                          % {"number": pickup.order.number})
    if pickup.state == State.WAITING:
        raise PickupError(gettext("The goods of order %(number)s have not arrived from the producer yet.")
                          % {"number": pickup.order.number})


def _expiry_reason(state: str) -> str:
    # Stored once and read by Vietnamese staff and shoppers: written in the site language.
    with translation.override(settings.LANGUAGE_CODE):
        if state == State.WAITING:
            days = goods_days()
            return gettext("The producer's goods did not reach the showroom within %(limit)s of the order: "
                           "cancelled automatically, the units it held are free again.") % {
                "limit": ngettext("%(count)d day", "%(count)d days", days) % {"count": days}}
        days = hold_days()
        return gettext("Not collected at the showroom within %(limit)s: cancelled automatically, its goods "
                       "back on the shelf.") % {"limit": ngettext("%(count)d day", "%(count)d days", days)
                                                 % {"count": days}}


def overdue(*, now: dt.datetime | None = None):
    """Pick-ups past their Pickup.expires_at: ready and not collected within PICKUP_HOLD_DAYS, or
    still waiting for the producer's goods PICKUP_GOODS_DAYS after the order."""
    now = now or timezone.now()
    return Pickup.objects.filter(
        Q(state=State.READY, ready_at__lt=now - dt.timedelta(days=hold_days()))
        | Q(state=State.WAITING, created_at__lt=now - dt.timedelta(days=goods_days())))


def expire_uncollected(*, now: dt.datetime | None = None) -> list[str]:
    """Cancel every pick-up past its deadline (overdue()): the order is cancelled through the order's
    one cancel (shop.order.services.cancel_order: the shopper told, every held unit released by the
    stock ledger). One order per transaction; a second run finds nothing."""
    now = now or timezone.now()
    late = overdue(now=now)
    expired = []
    for pickup_id in list(late.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            pickup = late.select_for_update(of=("self",), no_key=True).filter(pk=pickup_id).select_related("order").first()
            if pickup is None:  # collected or received meanwhile
                continue
            if pickup.order.status != statuses.CANCELLED:
                order_services.cancel_order(order=pickup.order, reason=_expiry_reason(pickup.state))
            pickup.state, pickup.expired_at = State.EXPIRED, now
            pickup.save(update_fields=["state", "expired_at"])
            expired.append(pickup.order.number)
    return expired


def remind_uncollected(*, now: dt.datetime | None = None) -> list[str]:
    """Remind once the shoppers whose order has waited ready PICKUP_REMINDER_DAYS; and tell those
    whose ready order has just been paid online (ready before the money came)."""
    now = now or timezone.now()
    reminded = []
    due = Pickup.objects.filter(state=State.READY, reminded_at__isnull=True, ready_notified_at__isnull=False,
                                ready_at__lt=now - dt.timedelta(days=settings.PICKUP_REMINDER_DAYS),
                                ready_at__gte=now - dt.timedelta(days=hold_days()))  # past it: cancelled, not reminded
    for pickup_id in list(due.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            pickup = due.select_for_update(of=("self",), no_key=True).filter(pk=pickup_id).select_related("order").first()
            if pickup is None or pickup.order.status == statuses.CANCELLED:
                continue
            pickup.reminded_at = now
            pickup.save(update_fields=["reminded_at"])
            messages.tell_shopper(order=pickup.order, code=messages.REMINDER)
            reminded.append(pickup.order.number)
    for pickup in (Pickup.objects.filter(state=State.READY, ready_notified_at__isnull=True)
                   .exclude(order__status__in=[*statuses.UNPAID, statuses.CANCELLED]).select_related("order")):
        with transaction.atomic():
            _tell_ready(pickup, pickup.order)
    return reminded

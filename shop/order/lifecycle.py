"""An order's life after it is handed to a carrier: delivered, refused at the door, received back,
and returns asked for after delivery. One function per move, keyword-only arguments, idempotent,
called by every channel alike: the producer portal, the office dashboard, the counter, carrier
webhooks and beat tasks. A replayed webhook or a double-submitted form moves nothing twice and
writes no second payment, refund or stock movement.

Who may call what is the caller's business (a producer passes `partner` and only touches their own
lines; office staff pass no partner); what may happen to an order is decided here.
Errors a person can fix raise LifecycleError with a message for them (a ValidationError: views show
`error.messages`); nothing was written then. Stock moves only through shop/order/stock_moves.py (the
stock ledger's functions), money through shop/order/services.py and shop/payment/refunds.py.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from core.ids import row_id, row_ids
from core.money import whole_dong
from notifications import customer as customer_messages
from notifications import events
from notifications.services import queue_customer_message
from settlement import services as ledger

from . import services, statuses, stock_moves

Order = get_model("order", "Order")
Line = get_model("order", "Line")
LineReturn = get_model("order", "LineReturn")
OrderNote = get_model("order", "OrderNote")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventType = get_model("order", "ShippingEventType")

# Oscar shipping event types: which lines, how many, when (the delivery date starts the return window).
DELIVERED_EVENT, REFUSED_EVENT, RECEIVED_BACK_EVENT = "Delivered", "Refused", "Received back"
COD_SOURCE_TYPE = "COD"  # as the dashboard has always recorded cash on delivery
DEFAULT_RETURN_WINDOW_DAYS = 7


class LifecycleError(ValidationError):
    """A move that cannot happen (wrong status, a line not in the order, too many units, after the
    return window, more money than was paid). Nothing was written."""


# ---------------------------------------------------------------------------- at the door
@transaction.atomic
def deliver(*, order, actor=None, partner=None, line_ids=None, cod_amount: Decimal | None = None,
            cod_reference: str = "", channel: str = "") -> int:
    """The shopper has the parcel: the shipped lines (of `partner` when given; those in `line_ids`
    when given, else all of them) become Delivered. For a cash-on-delivery order, the cash collected
    (`cod_amount`, default what the shopper owes for those lines: cod_amount(); `cod_reference`, default
    one derived from the lines) is recorded through shop.order.services.record_payment. The order
    follows its lines (follow_lines). Returns how many lines moved: 0 when they were already delivered
    (nothing is written then). `channel` names who reported it, for the order's notes ("portal",
    "office", "ghn", …)."""
    order = _lock(order)
    lines = _moving(order, partner, line_ids, statuses.LINE_DELIVERED, done=(statuses.LINE_DELIVERED,))
    if not lines:
        return 0
    note = _("Delivered: %(lines)s.") % {"lines": _titles(lines)}
    if _pays_on_delivery(order):
        owed = _cod_owed(order, lines)
        amount = owed if cod_amount is None else _dong(cod_amount)
        if amount is None:
            raise LifecycleError(_("Give the cash collected as a whole number of đồng."))
        still_owed = max(services.amount_due(order) - services.amount_paid(order), Decimal(0))
        if amount > still_owed:
            raise LifecycleError(_("%(amount)s is more than the shopper still owes for this order (%(owed)s).")
                                 % {"amount": currency(amount, order.currency),
                                    "owed": currency(still_owed, order.currency)})
        if amount:
            reference = (cod_reference or "").strip()[:120] or _cod_reference(order, lines)
            if not services.record_payment(order=order, amount=amount, reference=reference,
                                           source_type=COD_SOURCE_TYPE, notify=False):
                raise LifecycleError(_("Payment reference %(reference)s is already recorded for this order: give "
                                       "this collection its own reference.") % {"reference": reference})
            note += " " + _("Cash collected: %(amount)s (reference %(reference)s).") % {
                "amount": currency(amount, order.currency), "reference": reference}
        if amount < owed:
            note += " " + _("The shopper was to pay %(owed)s.") % {"owed": currency(owed, order.currency)}
    _consume(lines, actor=actor, note=_("Order %(number)s delivered") % {"number": order.number})
    ledger.record_delivery(lines, at=timezone.now())  # the producers are owed their lines from now
    _record(order, lines, DELIVERED_EVENT, statuses.LINE_DELIVERED, notes=_by(actor, channel))
    _note(order, note, actor, channel)
    _tell_producers(order, lines, kind="delivered", actor=actor)
    follow_lines(order)
    return len(lines)


@transaction.atomic
def refuse(*, order, reason: str, actor=None, partner=None, line_ids=None, channel: str = "") -> int:
    """The shopper refused these shipped lines at the door, or the carrier returns them to the sender
    (whole parcel when line_ids is None). They become Refused; the units are on their way back to the
    producer (receive_back). What the shopper owes drops by their price. Returns how many lines
    moved (0: already refused)."""
    reason = (reason or "").strip()
    if not reason:
        raise LifecycleError(_("Say why the parcel was refused or returned."))
    order = _lock(order)
    lines = _moving(order, partner, line_ids, statuses.LINE_REFUSED,
                    done=(statuses.LINE_REFUSED, statuses.LINE_RECEIVED_BACK))
    if not lines:
        return 0
    _consume(lines, actor=actor, note=_("Order %(number)s handed over") % {"number": order.number})
    _record(order, lines, REFUSED_EVENT, statuses.LINE_REFUSED, notes=f"{_by(actor, channel)} {reason}".strip())
    _note(order, _("Refused at the door or returned to sender: %(lines)s. Reason: %(reason)s")
          % {"lines": _titles(lines), "reason": reason}, actor, channel)
    if services.amount_paid(order) > services.amount_due(order):
        _note(order, _("The shopper has paid %(paid)s but now owes %(due)s: refund the difference.")
              % {"paid": currency(services.amount_paid(order), order.currency),
                 "due": currency(services.amount_due(order), order.currency)}, None, "", OrderNote.WARNING)
    _tell_producers(order, lines, kind="refused", actor=actor, extra={"reason": reason})
    follow_lines(order)
    return len(lines)


@transaction.atomic
def receive_back(*, order, actor=None, partner=None, line_ids=None, damaged: dict[int, int] | None = None,
                 reason: str = "") -> int:
    """The producer has the refused lines back: each one's units return to its stock record, except
    `damaged` ({line id: units}) written off with `reason` (required when anything is damaged).
    Lines become Received back; a refused order whose lines are all back becomes Returned. Returns
    how many lines moved (0: already received)."""
    order = _lock(order)
    lines = _moving(order, partner, line_ids, statuses.LINE_RECEIVED_BACK, done=(statuses.LINE_RECEIVED_BACK,))
    broken = _damaged_units(lines, damaged or {}, reason)
    if not lines:
        return 0
    reason = (reason or "").strip()
    parts = []
    for line in lines:
        bad = broken.get(line.pk, 0)
        _back_in_stock(line, good=line.quantity - bad, damaged=bad, actor=actor, reason=reason,
                       note=_("Order %(number)s: back from the door") % {"number": order.number})
        parts.append(_("%(title)s: %(back)d back in stock, %(bad)d written off")
                     % {"title": line.title, "back": line.quantity - bad, "bad": bad} if bad else
                     _("%(title)s: %(back)d back in stock") % {"title": line.title, "back": line.quantity})
    _record(order, lines, RECEIVED_BACK_EVENT, statuses.LINE_RECEIVED_BACK, notes=_by(actor, ""))
    message = _("Received back by the producer: %(lines)s.") % {"lines": "; ".join(parts)}
    if broken:
        message += " " + _("Damaged: %(reason)s") % {"reason": reason}
    _note(order, message, actor, "")
    follow_lines(order)
    return len(lines)


def follow_lines(order) -> str | None:
    """Move the order along once its lines have moved (call with the order locked): all handed over
    -> Shipped; none left on the way -> Delivered (something kept) or Refused (nothing kept); a
    refused order with everything back -> Returned. Returns the new status, or None."""
    states = list(order.lines.values_list("status", flat=True))
    if not states:
        return None
    new = None
    if order.status in (statuses.PROCESSING, statuses.SHIPPED) and all(s in statuses.LINE_AT_REST for s in states):
        new = statuses.DELIVERED if statuses.LINE_DELIVERED in states else statuses.REFUSED
    elif order.status == statuses.PROCESSING and all(s in statuses.LINE_HANDED_OVER for s in states):
        new = statuses.SHIPPED
    elif order.status == statuses.REFUSED and all(s == statuses.LINE_RECEIVED_BACK for s in states):
        new = statuses.RETURNED
    if new is None:
        return None
    order.set_status(new)
    event = {statuses.SHIPPED: events.ORDER_SHIPPED, statuses.DELIVERED: events.ORDER_DELIVERED,
             statuses.REFUSED: events.ORDER_REFUSED}.get(new)
    if event:
        queue_customer_message(order=order, event=event)
    return new


# ---------------------------------------------------------------------------- money at the door
def amount_due(order) -> Decimal:
    """What the shopper must pay for the order: its total less the price of lines refused at the
    door; nothing when the whole parcel was refused (the shop bears the carriage)."""
    return services.amount_due(order)


def cod_amount(*, order, lines=None) -> Decimal:
    """Cash the carrier (or producer) collects when `lines` (default: the lines still on the way) are
    delivered: their price, plus whatever else the shopper still owes (the shipping charge, a
    rounding) when no other line is still on the way. Never below zero. Carriers print it on the
    waybill."""
    return _cod_owed(order, lines)


def _cod_owed(order, lines=None) -> Decimal:
    on_the_way = [line for line in order.lines.all() if line.status not in statuses.LINE_AT_REST]
    lines = on_the_way if lines is None else list(lines)
    owed = services.amount_due(order) - services.amount_paid(order)
    if owed <= 0:
        return Decimal(0)
    chosen = {line.pk for line in lines}
    if all(line.pk in chosen for line in on_the_way):
        return whole_dong(owed)  # the last parcel carries the shipping charge and any rest
    value = sum((line.line_price_incl_tax for line in lines), Decimal(0))
    return whole_dong(min(value, owed))


# ---------------------------------------------------------------------------- returns after delivery
def return_window_days() -> int:
    return int(getattr(settings, "RETURN_WINDOW_DAYS", DEFAULT_RETURN_WINDOW_DAYS))


def delivered_at(line) -> dt.datetime | None:
    return delivered_at_of([line]).get(line.pk)


def delivered_at_of(lines) -> dict:
    """{line pk: when it was delivered (its first Delivered shipping event)}, for many lines in one query."""
    ids = [line.pk for line in lines]
    rows = (ShippingEvent.objects.filter(order_id__in={line.order_id for line in lines},
                                         event_type__name=DELIVERED_EVENT, line_quantities__line_id__in=ids)
            .order_by().values_list("line_quantities__line_id").annotate(first=Min("date_created")))
    return dict(rows)


def asked_back_of(lines) -> dict:
    """{line pk: units already asked back (refused requests do not count)}, in one query."""
    rows = (LineReturn.objects.filter(line_id__in=[line.pk for line in lines]).exclude(status=LineReturn.REFUSED)
            .order_by().values_list("line_id").annotate(n=Sum("quantity")))
    return dict(rows)


def _deadline(line, delivered: dt.datetime | None) -> dt.datetime | None:
    if line.status != statuses.LINE_DELIVERED or delivered is None:
        return None
    return delivered + dt.timedelta(days=return_window_days())


def _left(line, asked: int) -> int:
    if line.status != statuses.LINE_DELIVERED:
        return 0
    return max(line.quantity - asked, 0)


def return_deadline(line) -> dt.datetime | None:
    """Until when the shopper may ask to return `line`: RETURN_WINDOW_DAYS after it was delivered;
    None when it was not delivered."""
    if line.status != statuses.LINE_DELIVERED:
        return None
    return _deadline(line, delivered_at(line))


def returnable_quantity(line) -> int:
    """Units of `line` the shopper may still ask to return: delivered, less those already asked for
    (refused requests do not count)."""
    if line.status != statuses.LINE_DELIVERED:
        return 0
    return _left(line, asked_back_of([line]).get(line.pk, 0))


def can_ask_return(line, *, now=None) -> bool:
    deadline = return_deadline(line)
    return bool(deadline and (now or timezone.now()) <= deadline and returnable_quantity(line) > 0)


def returnable_lines(lines, *, now=None) -> list[tuple]:
    """(line, units left, deadline) for each of `lines` the shopper may still ask to return:
    can_ask_return for a whole order's page in two queries, not three a line."""
    delivered = [line for line in lines if line.status == statuses.LINE_DELIVERED]
    if not delivered:
        return []
    when, asked, now = delivered_at_of(delivered), asked_back_of(delivered), now or timezone.now()
    found = []
    for line in delivered:
        deadline, left = _deadline(line, when.get(line.pk)), _left(line, asked.get(line.pk, 0))
        if deadline and now <= deadline and left > 0:
            found.append((line, left, deadline))
    return found


@transaction.atomic
def request_return(*, line, quantity: int, reason: str, user=None, photo=None):
    """The shopper asks to return `quantity` units of a delivered line (reason required, photo
    optional), within the window. Returns the LineReturn; the office and the producer are told."""
    order = _lock(line.order)
    line = Line.objects.select_for_update(no_key=True).get(pk=line.pk)
    reason = (reason or "").strip()
    if not reason:
        raise LifecycleError(_("Tell us why you want to return it."))
    if line.status != statuses.LINE_DELIVERED:
        raise LifecycleError(_("«%(title)s» has not been delivered: it cannot be returned.") % {"title": line.title})
    deadline = return_deadline(line)
    if deadline is None or timezone.now() > deadline:
        raise LifecycleError(_("Returns for «%(title)s» closed on %(date)s (%(days)d days after delivery).")
                             % {"title": line.title, "days": return_window_days(),
                                "date": timezone.localtime(deadline).strftime("%d/%m/%Y") if deadline else "-"})
    if LineReturn.objects.filter(line=line, status=LineReturn.REQUESTED).exists():
        raise LifecycleError(_("You have already asked to return «%(title)s»: we will answer you soon.")
                             % {"title": line.title})
    left = returnable_quantity(line)
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if not 1 <= quantity <= left:
        raise LifecycleError(_("You can return from 1 to %(left)d units of «%(title)s».")
                             % {"left": left, "title": line.title} if left else
                             _("Every delivered unit of «%(title)s» has already been returned.") % {"title": line.title})
    line_return = LineReturn.objects.create(order=order, line=line, quantity=quantity, reason=reason[:2000],
                                            photo=photo or "", requested_by=user)
    _note(order, _("Return asked for: %(title)s × %(quantity)d. Reason: %(reason)s")
          % {"title": line.title, "quantity": quantity, "reason": reason}, user, "")
    customer_messages.queue_return_message(line_return=line_return, event=events.RETURN_REQUESTED)
    return line_return


def refund_value(line_return) -> Decimal:
    """What the returned units cost the shopper: their share of the line's price after discounts."""
    line = line_return.line
    return whole_dong(line.line_price_incl_tax * line_return.quantity / line.quantity)


@transaction.atomic
def accept_return(*, line_return, actor, refund_amount: Decimal | None = None, refund_reference: str = "",
                  note: str = ""):
    """Office staff accept a return and refund it the way the order was paid: a card payment through
    Stripe's refund API (idempotency key per return and amount); a bank transfer or COD cash recorded
    with `refund_reference` (required then). `refund_amount` defaults to the units' price and may not
    exceed what is still paid. Idempotent: an accepted return is returned as it is."""
    from shop.payment.refunds import RefundError, refund_order

    order = _lock(line_return.order)
    line_return = LineReturn.objects.select_for_update(no_key=True).select_related("line").get(pk=line_return.pk)
    if line_return.status in (LineReturn.ACCEPTED, LineReturn.RECEIVED):
        return line_return
    if line_return.status == LineReturn.REFUSED:
        raise LifecycleError(_("This return was refused: it cannot be accepted now."))
    amount = refund_value(line_return) if refund_amount is None else _dong(refund_amount)
    if amount is None:
        raise LifecycleError(_("Give the refund as a whole number of đồng."))
    reference = ""
    if amount:
        try:
            reference = refund_order(order=order, amount=amount, key=f"ocop-return-{line_return.pk}-{int(amount)}",
                                     reference=refund_reference,
                                     note=_("Refund for the return of %(title)s × %(quantity)d.")
                                     % {"title": line_return.line.title, "quantity": line_return.quantity})
        except RefundError as error:
            raise LifecycleError(error.message) from error
    line_return.status, line_return.decided_by, line_return.decided_at = LineReturn.ACCEPTED, actor, timezone.now()
    line_return.decision_note, line_return.refund_amount = (note or "").strip(), amount
    line_return.refund_reference = reference
    line_return.save()
    try:  # the producer gives back what the shopper got back
        ledger.record_refund(line=line_return.line, quantity=line_return.quantity,
                             reference=reference or f"return-{line_return.pk}", amount=amount)
    except ledger.SettlementError as error:
        raise LifecycleError(str(error)) from error
    _note(order, _("Return accepted: %(title)s × %(quantity)d, %(amount)s refunded.")
          % {"title": line_return.line.title, "quantity": line_return.quantity,
             "amount": currency(amount, order.currency)}, actor, "")
    customer_messages.queue_return_message(line_return=line_return, event=events.RETURN_ACCEPTED)
    _tell_producers(order, [line_return.line], kind="return", actor=actor,
                    extra={"return_id": line_return.pk, "quantity": line_return.quantity}, key=line_return.pk)
    return line_return


@transaction.atomic
def refuse_return(*, line_return, actor, reason: str):
    """Office staff refuse a return request (reason required, told to the shopper). Idempotent."""
    reason = (reason or "").strip()
    if not reason:
        raise LifecycleError(_("Say why the return is refused: the shopper reads it."))
    order = _lock(line_return.order)
    line_return = LineReturn.objects.select_for_update(no_key=True).select_related("line").get(pk=line_return.pk)
    if line_return.status == LineReturn.REFUSED:
        return line_return
    if line_return.status != LineReturn.REQUESTED:
        raise LifecycleError(_("This return was already accepted and refunded."))
    line_return.status, line_return.decided_by, line_return.decided_at = LineReturn.REFUSED, actor, timezone.now()
    line_return.decision_note = reason
    line_return.save()
    _note(order, _("Return refused: %(title)s × %(quantity)d. Reason: %(reason)s")
          % {"title": line_return.line.title, "quantity": line_return.quantity, "reason": reason}, actor, "")
    customer_messages.queue_return_message(line_return=line_return, event=events.RETURN_REFUSED)
    return line_return


@transaction.atomic
def receive_return(*, line_return, actor, damaged: int = 0, reason: str = ""):
    """The returned units are back with the producer: restocked, except `damaged` written off with
    `reason`. Idempotent: a received return is returned as it is."""
    order = _lock(line_return.order)
    line_return = (LineReturn.objects.select_for_update(of=("self",), no_key=True).select_related("line__stockrecord")
                   .get(pk=line_return.pk))
    if line_return.status == LineReturn.RECEIVED:
        return line_return
    if line_return.status != LineReturn.ACCEPTED:
        raise LifecycleError(_("Only an accepted return is received back."))
    line = line_return.line
    bad = _damaged_units([line], {line.pk: damaged} if damaged else {}, reason,
                         limit={line.pk: line_return.quantity}).get(line.pk, 0)
    reason = (reason or "").strip()
    _back_in_stock(line, good=line_return.quantity - bad, damaged=bad, actor=actor, reason=reason,
                   note=_("Order %(number)s: return %(id)s") % {"number": order.number, "id": line_return.pk},
                   source=line_return)
    line_return.status, line_return.received_at = LineReturn.RECEIVED, timezone.now()
    line_return.restocked, line_return.written_off = line_return.quantity - bad, bad
    line_return.write_off_reason = reason[:255] if bad else ""
    line_return.save()
    _note(order, _("Returned goods received back: %(title)s, %(back)d back in stock, %(bad)d written off.")
          % {"title": line.title, "back": line_return.restocked, "bad": bad}
          + (" " + _("Damaged: %(reason)s") % {"reason": reason} if bad else ""), actor, "")
    return line_return


# ---------------------------------------------------------------------------- helpers
def _lock(order):
    return Order.objects.select_for_update(of=("self",), no_key=True).get(pk=order.pk)


def _cannot(to_status) -> tuple[str, str]:
    """What to say when the order, or one line, cannot make this move."""
    if to_status == statuses.LINE_DELIVERED:
        return (_("Order %(number)s is “%(status)s”: it cannot be delivered."),
                _("«%(title)s» cannot be marked delivered: it is “%(status)s”."))
    if to_status == statuses.LINE_REFUSED:
        return (_("Order %(number)s is “%(status)s”: it cannot be refused at the door."),
                _("«%(title)s» cannot be marked refused: it is “%(status)s” (only a shipped parcel can be refused)."))
    return (_("Order %(number)s is “%(status)s”: nothing can come back from it."),
            _("«%(title)s» cannot be received back: it is “%(status)s” (only a refused parcel comes back this way)."))


def _moving(order, partner, line_ids, to_status, *, done) -> list:
    """The lines to move to `to_status`, locked in pk order. Lines already there (or past it) are
    left out, so repeating a move moves nothing; a chosen line that cannot move is an error."""
    order_text, line_text = _cannot(to_status)
    if order.status in (statuses.CANCELLED, *statuses.UNPAID):
        raise LifecycleError(order_text % {"number": order.number,
                                           "status": statuses.LABELS.get(order.status, order.status)})
    lines = list(order.lines.select_for_update(of=("self",), no_key=True).select_related("stockrecord").order_by("pk"))
    if partner is not None:
        lines = [line for line in lines if line.partner_id == partner.pk]
    if line_ids is not None:
        raw = [str(value) for value in line_ids]
        wanted = set(row_ids(raw))
        if len(wanted) < len(set(raw)) or not wanted.issubset({line.pk for line in lines}):
            raise LifecycleError(_("Some of these lines are not part of this order.") if partner is None
                                 else _("Some of these lines are not yours."))
        if not wanted:
            raise LifecycleError(_("Choose at least one line."))
        lines = [line for line in lines if line.pk in wanted]
    movable = [line for line in lines if to_status in line.available_statuses()]
    if line_ids is not None:
        stuck = [line for line in lines if line not in movable and line.status not in done]
    else:  # the whole parcel: the lines that have not left yet are not part of it
        stuck = [] if movable or any(line.status in done for line in lines) else lines
    if stuck:
        raise LifecycleError(line_text % {"title": stuck[0].title,
                                          "status": statuses.LINE_LABELS.get(stuck[0].status, stuck[0].status)})
    return movable


def _back_in_stock(line, *, good: int, damaged: int, actor, reason: str, note: str, source=None) -> None:
    """Units of a handed-over line are back: the good ones on the shelf, the damaged ones received and
    written off at once (the ledger keeps both movements). A ledger refusal undoes the whole move."""
    try:
        if good > 0:
            stock_moves.receive_back(line=line, quantity=good, actor=actor, note=note, source=source)
        if damaged > 0:
            # No source here: the ledger takes a second movement of one source and line as a retry.
            stock_moves.receive_back(line=line, quantity=damaged, actor=actor, note=f"{note}. {reason}",
                                     damaged=True)
    except stock_moves.StockError as error:
        raise LifecycleError(str(error)) from error


def _consume(lines, *, actor, note: str) -> None:
    try:
        stock_moves.consume_lines(lines, actor=actor, note=note)
    except stock_moves.StockError as error:
        raise LifecycleError(str(error)) from error


def _damaged_units(lines, damaged: dict, reason: str, *, limit: dict | None = None) -> dict[int, int]:
    ids = {line.pk: line for line in lines}
    out = {}
    for key, value in damaged.items():
        pk, units = row_id(key), _units(value)
        if units is None:
            raise LifecycleError(_("Give damaged units as a whole number."))
        if not units:
            continue
        if pk not in ids:
            raise LifecycleError(_("Some of these lines are not part of this order."))
        most = (limit or {}).get(pk, ids[pk].quantity)
        if units > most:
            raise LifecycleError(_("Only %(most)d units of «%(title)s» came back.") % {"most": most,
                                                                                      "title": ids[pk].title})
        out[pk] = units
    if out and not (reason or "").strip():
        raise LifecycleError(_("Say why the damaged units are written off."))
    return out


def _dong(value) -> Decimal | None:
    """A whole, non-negative number of đồng from a form or a webhook ("150000", 150000, "150000.00"), else None."""
    try:
        amount = Decimal(str(value).strip())
    except ArithmeticError:
        return None
    if not amount.is_finite() or amount < 0 or amount > 10**12 or amount != whole_dong(amount):
        return None
    return amount


def _units(value) -> int | None:
    text = str(value).strip() or "0"
    return int(text) if text.isascii() and text.isdigit() else None


def _pays_on_delivery(order) -> bool:
    from shop.payment import methods
    from shop.payment.models import OrderPayment

    return OrderPayment.objects.filter(order=order, method=methods.COD).exists()


def _cod_reference(order, lines) -> str:
    return f"COD-{order.number}-" + "-".join(str(line.pk) for line in lines)


def _record(order, lines, event_name, to_status, notes=""):
    event_type, _created = ShippingEventType.objects.get_or_create(name=event_name)
    event = ShippingEvent.objects.create(order=order, event_type=event_type, notes=notes[:2000])
    for line in lines:
        event.line_quantities.create(line=line, quantity=line.quantity)
        line.set_status(to_status)
    return event


def _titles(lines) -> str:
    return ", ".join(f"{line.title} × {line.quantity}" for line in lines)


def _by(actor, channel) -> str:
    who = getattr(actor, "email", "") or ""
    return " · ".join(part for part in (who, channel) if part)


def _note(order, message, actor, channel, note_type=None):
    by = _by(actor, channel)
    OrderNote.objects.create(order=order, user=actor if getattr(actor, "pk", None) else None,
                             note_type=note_type or OrderNote.SYSTEM,
                             message=f"{message} ({by})" if by else message)


def _tell_producers(order, lines, *, kind: str, actor=None, extra: dict | None = None, key=None) -> None:
    """Each producer with lines in this move hears of it through the outbox, unless they made the move."""
    from notifications import services as outbox

    by_partner = {}
    for line in lines:
        if line.partner_id:
            by_partner.setdefault(line.partner_id, []).append(line)
    for _partner_id, own in sorted(by_partner.items()):
        partner = own[0].partner
        if actor is not None and getattr(actor, "pk", None) and partner.users.filter(pk=actor.pk).exists():
            continue
        outbox.queue_order_event(order=order, partner=partner, event=kind, lines=own, extra=extra or {},
                                 key=key if key is not None else "-".join(str(line.pk) for line in own))

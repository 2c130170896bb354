"""An order's life after it is handed to a carrier: delivered, refused at the door, received back,
and returns asked for after delivery. One function per move, keyword-only arguments, idempotent,
called by every channel alike: the producer portal, the office dashboard, the counter, carrier
webhooks and beat tasks. A replayed webhook or a double-submitted form moves nothing twice and
writes no second payment, refund or stock movement.

Who may call what is the caller's business (a producer passes `partner` and only touches their own
lines; office staff pass no partner); what may happen to an order is decided here.
Errors a person can fix raise LifecycleError with a message for them (a ValidationError: views show
`error.messages`). Stock moves only through shop/order/stock_moves.py (the stock ledger's functions).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError

from . import statuses  # noqa: F401  (used by the implementation)


class LifecycleError(ValidationError):
    """A move that cannot happen (wrong status, a line not in the order, too many units, after the
    return window, more money than was paid). Nothing was written."""


# ---------------------------------------------------------------------------- at the door
def deliver(*, order, actor=None, partner=None, line_ids=None, cod_amount: Decimal | None = None,
            cod_reference: str = "", channel: str = "") -> int:
    """The shopper has the parcel: the shipped lines (of `partner` when given; those in `line_ids`
    when given, else all of them) become Delivered. For a cash-on-delivery order, the cash collected
    (`cod_amount`, default what the shopper owes for those lines: cod_amount(); `cod_reference`, default
    one derived from the lines) is recorded through shop.order.services.record_payment. The order
    follows its lines (follow_lines). Returns how many lines moved: 0 when they were already delivered
    (nothing is written then). `channel` names who reported it, for the order's notes ("portal",
    "office", "ghn", …)."""
    raise NotImplementedError


def refuse(*, order, reason: str, actor=None, partner=None, line_ids=None, channel: str = "") -> int:
    """The shopper refused these shipped lines at the door, or the carrier returns them to the sender
    (whole parcel when line_ids is None). They become Refused; the units are on their way back to the
    producer (receive_back). What the shopper owes drops by their price. Returns how many lines
    moved (0: already refused)."""
    raise NotImplementedError


def receive_back(*, order, actor=None, partner=None, line_ids=None, damaged: dict[int, int] | None = None,
                 reason: str = "") -> int:
    """The producer has the refused lines back: each one's units return to its stock record, except
    `damaged` ({line id: units}) written off with `reason` (required when anything is damaged).
    Lines become Received back; a refused order whose lines are all back becomes Returned. Returns
    how many lines moved (0: already received)."""
    raise NotImplementedError


def follow_lines(order) -> str | None:
    """Move the order along once its lines have moved (call with the order locked): all handed over
    -> Shipped; none left on the way -> Delivered (something kept) or Refused (nothing kept); a
    refused order with everything back -> Returned. Returns the new status, or None."""
    raise NotImplementedError


# ---------------------------------------------------------------------------- money at the door
def amount_due(order) -> Decimal:
    """What the shopper must pay for the order: its total less the price of lines refused at the
    door; nothing when the whole parcel was refused (the shop bears the carriage)."""
    raise NotImplementedError


def cod_amount(*, order, lines=None) -> Decimal:
    """Cash the carrier (or producer) collects when `lines` (default: the lines still on the way) are
    delivered: their price, plus whatever else the shopper still owes (the shipping charge, a
    rounding) when no other line is still on the way. Never below zero. Carriers print it on the
    waybill."""
    raise NotImplementedError


# ---------------------------------------------------------------------------- returns after delivery
def return_deadline(line) -> dt.datetime | None:
    """Until when the shopper may ask to return `line`: RETURN_WINDOW_DAYS after it was delivered;
    None when it was not delivered."""
    raise NotImplementedError


def returnable_quantity(line) -> int:
    """Units of `line` the shopper may still ask to return: delivered, less those already asked for
    (refused requests do not count)."""
    raise NotImplementedError


def request_return(*, line, quantity: int, reason: str, user=None, photo=None):
    """The shopper asks to return `quantity` units of a delivered line (reason required, photo
    optional), within the window. Returns the LineReturn; the office and the producer are told."""
    raise NotImplementedError


def accept_return(*, line_return, actor, refund_amount: Decimal | None = None, refund_reference: str = "",
                  note: str = ""):
    """Office staff accept a return and refund it the way the order was paid: a card payment through
    Stripe's refund API (idempotency key per return and amount); a bank transfer or COD cash recorded
    with `refund_reference` (required then). `refund_amount` defaults to the units' price and may not
    exceed what is still paid. Idempotent: an accepted return is returned as it is."""
    raise NotImplementedError


def refuse_return(*, line_return, actor, reason: str):
    """Office staff refuse a return request (reason required, told to the shopper)."""
    raise NotImplementedError


def receive_return(*, line_return, actor, damaged: int = 0, reason: str = ""):
    """The returned units are back with the producer: restocked, except `damaged` written off with
    `reason`. Idempotent: a received return is returned as it is."""
    raise NotImplementedError

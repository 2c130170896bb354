"""What a bank transfer does: recorded once, then matched to its order or listed for the office.

`receive` is called by the webhook for every authentic notification. It writes the transfer row
first (a retry of the same transaction id finds it and changes nothing), then pays the order
through the shop's one payment service, `record_payment`, only when every fact agrees: money in,
to our account, a note naming exactly one order, that order awaiting a transfer, and the amount
exactly its total. Anything else is kept with the reason, for a person to decide.

The counter (pos) shows a VietQR noted with the number its sale will get; that order does not
exist until the sale completes, so such a transfer waits as "unknown order" until the counter
claims it (`claim_for_counter`), which links it to the sale's order.
"""
from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from . import notes
from .models import BankTransfer
from .sepay import Incoming

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
record_payment = get_class("order.services", "record_payment")
is_paid = get_class("order.services", "is_paid")

SOURCE_TYPE = "VietQR"  # the source the office's "Transfer received" form records too
AWAITING_TRANSFER, CANCELLED = "Awaiting transfer", "Cancelled"  # shop/order/statuses.py


@transaction.atomic
def receive(incoming: Incoming, *, provider: str) -> tuple[BankTransfer, bool]:
    """Record one notified transaction and match it. Returns (transfer, False) for a replay."""
    try:
        with transaction.atomic():
            transfer = BankTransfer.objects.create(
                provider=provider, transaction_id=incoming.transaction_id, gateway=incoming.gateway,
                transaction_date=incoming.transaction_date, account_number=incoming.account_number,
                content=incoming.content, transfer_type=incoming.transfer_type, amount=incoming.amount,
                reference_code=incoming.reference_code, payload=_jsonable(incoming.payload),
                status=BankTransfer.UNMATCHED)
    except IntegrityError:  # the service's retry (or two deliveries at once: the lock waits)
        return BankTransfer.objects.select_for_update(no_key=True).get(
            provider=provider, transaction_id=incoming.transaction_id), False
    with translation.override(settings.LANGUAGE_CODE):  # order notes are for the office
        _match(transfer)
    transfer.save()
    return transfer, True


def _match(transfer: BankTransfer) -> None:
    if transfer.transfer_type != "in":
        transfer.status = BankTransfer.IGNORED
        return
    if transfer.amount is None:
        transfer.reason = BankTransfer.BAD_AMOUNT
    own = settings.VIETQR_ACCOUNT_NUMBER
    if transfer.account_number and own and transfer.account_number.strip() != own.strip():
        transfer.reason = transfer.reason or BankTransfer.OTHER_ACCOUNT
    candidates = notes.candidate_numbers(transfer.content)
    orders = list(Order.objects.filter(number__in=candidates)) if candidates else []
    if len(orders) == 1:
        transfer.order_number = orders[0].number
    elif candidates:
        transfer.order_number = candidates[0][:64]
    if transfer.reason:
        return
    if not candidates:
        transfer.reason = BankTransfer.NO_ORDER_NUMBER
        return
    if not orders:
        transfer.reason = BankTransfer.UNKNOWN_ORDER
        return
    if len(orders) > 1:
        transfer.reason = BankTransfer.AMBIGUOUS
        return
    order = Order.objects.select_for_update(no_key=True).get(pk=orders[0].pk)
    transfer.order = order
    reason = _refusal(order, transfer.amount)
    if reason:
        transfer.reason = reason
        OrderNote.objects.create(order=order, note_type=OrderNote.WARNING, message=_(
            "A bank transfer of %(amount)s đồng naming this order was not applied (%(reason)s): see Unmatched "
            "transfers.") % {"amount": _dong(transfer.amount), "reason": _reason_label(reason)})
        return
    record_payment(order=order, amount=transfer.amount, reference=transfer.payment_reference,
                   source_type=SOURCE_TYPE,
                   note=_("Bank transfer received and matched automatically (%(bank)s, reference %(reference)s).")
                   % {"bank": transfer.gateway or "-", "reference": transfer.reference_code or transfer.transaction_id})
    transfer.status = BankTransfer.MATCHED


def _refusal(order, amount: Decimal) -> str:
    if order.status == CANCELLED:
        return BankTransfer.CANCELLED
    if is_paid(order):
        return BankTransfer.ALREADY_PAID
    if order.status != AWAITING_TRANSFER:
        return BankTransfer.NOT_A_TRANSFER_ORDER
    total = Decimal(order.total_incl_tax)
    if amount < total:
        return BankTransfer.UNDERPAID
    if amount > total:
        return BankTransfer.OVERPAID
    return ""


# ---------------------------------------------------------------------------- the office
@transaction.atomic
def apply_to_order(*, transfer_id: int, order, user, note: str) -> BankTransfer:
    """A person decided this transfer pays `order`: record it as that order's payment (a part
    payment stays a part payment; record_payment moves the order on only once fully paid)."""
    transfer = BankTransfer.objects.select_for_update(no_key=True).get(pk=transfer_id)
    if transfer.status != BankTransfer.UNMATCHED:
        raise ValueError(_("This transfer was already dealt with."))
    if transfer.amount is None or transfer.amount <= 0:
        raise ValueError(_("This transfer has no amount to record: resolve it with a note instead."))
    record_payment(order=order, amount=transfer.amount, reference=transfer.payment_reference, source_type=SOURCE_TYPE,
                   note=_("Bank transfer %(reference)s applied by %(user)s: %(note)s")
                   % {"reference": transfer.reference_code or transfer.transaction_id, "user": user.email,
                      "note": note})
    transfer.order = order
    _resolve(transfer, user=user, note=note)
    return transfer


@transaction.atomic
def resolve(*, transfer_id: int, user, note: str) -> BankTransfer:
    """A person dealt with this transfer outside the shop (refunded it, not ours, …)."""
    transfer = BankTransfer.objects.select_for_update(no_key=True).get(pk=transfer_id)
    if transfer.status != BankTransfer.UNMATCHED:
        raise ValueError(_("This transfer was already dealt with."))
    _resolve(transfer, user=user, note=note)
    return transfer


def _resolve(transfer: BankTransfer, *, user, note: str) -> None:
    transfer.status, transfer.resolved_by, transfer.resolved_at = BankTransfer.RESOLVED, user, timezone.now()
    transfer.resolution = note
    transfer.save()


# ---------------------------------------------------------------------------- the counter
def counter_transfer(*, number: str, amount: Decimal) -> BankTransfer | None:
    """A transfer of exactly `amount` noted with the counter's order number-to-be, not claimed yet."""
    number = str(number)
    waiting = BankTransfer.objects.filter(status=BankTransfer.UNMATCHED, reason=BankTransfer.UNKNOWN_ORDER,
                                          amount=amount, order__isnull=True).order_by("received_at")
    for transfer in waiting.filter(content__contains=number[-4:])[:50]:  # the bank may split the number
        if number in notes.candidate_numbers(transfer.content):
            return transfer
    return None


def claim_for_counter(*, transfer: BankTransfer, order) -> None:
    """The counter's sale `order` was paid by this transfer (inside the sale's transaction)."""
    transfer = BankTransfer.objects.select_for_update(no_key=True).get(pk=transfer.pk)
    if transfer.status != BankTransfer.UNMATCHED or transfer.order_id:
        raise ValueError("transfer already claimed")
    transfer.order, transfer.status, transfer.reason = order, BankTransfer.MATCHED, ""
    transfer.save(update_fields=["order", "status", "reason"])


def order_paid(order) -> bool:
    return is_paid(order)


def _dong(amount) -> str:
    return "-" if amount is None else f"{int(amount):,}".replace(",", ".")


def _reason_label(reason: str) -> str:
    return str(dict(BankTransfer.REASON_CHOICES).get(reason, reason))


def _jsonable(payload: dict) -> dict:
    """JSON as received; PostgreSQL's jsonb refuses NUL characters, so they are escaped."""
    import json

    text = json.dumps(payload, ensure_ascii=True)
    return json.loads(text.replace("\\u0000", "\\\\u0000"))

"""Shifts and the cash drawer: open with a counted float, cash in and out with a reason, close by
counting the notes. What the drawer should hold is computed here and nowhere else."""
from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

from .errors import PosError
from .models import CASH, DENOMINATIONS, CashMovement, PickupPayment, PosPayment, Shift


def open_shift_of(user, showroom) -> Shift | None:
    return Shift.objects.open().filter(cashier=user, showroom=showroom).first()


def open_shift(*, user, showroom, opening_float: Decimal) -> Shift:
    if opening_float is None or opening_float < 0:
        raise PosError(_("Count the float in the drawer: an amount of 0 đồng or more."))
    if Shift.objects.open().filter(cashier=user).exists():
        raise PosError(_("You already have an open shift: close it first."))
    try:
        with transaction.atomic():
            return Shift.objects.create(showroom=showroom, cashier=user, opening_float=opening_float)
    except IntegrityError:  # a second tab opened one at the same moment
        raise PosError(_("You already have an open shift: close it first.")) from None


def record_movement(*, shift: Shift, kind: str, amount: Decimal, reason: str, refund=None) -> CashMovement:
    if not shift.is_open:
        raise PosError(_("This shift is closed."))
    if kind not in (CashMovement.IN, CashMovement.OUT):
        raise PosError(_("Choose cash in or cash out."))
    if amount is None or amount <= 0:
        raise PosError(_("Enter an amount above 0 đồng."))
    if not (reason or "").strip():
        raise PosError(_("Say why the cash moves."))
    return CashMovement.objects.create(shift=shift, kind=kind, amount=amount, reason=reason.strip(), refund=refund)


def cash_sales(shift: Shift) -> Decimal:
    """Cash kept from sales and from online orders paid when collected here (tendered minus change)."""
    sales = PosPayment.objects.filter(sale__shift=shift, method=CASH).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return sales + pickup_cash(shift)


def pickup_cash(shift: Shift) -> Decimal:
    return PickupPayment.objects.filter(shift=shift, method=CASH).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def expected_cash(shift: Shift) -> Decimal:
    """Float + cash sales + cash in − cash out (refunds are cash out)."""
    movements = sum((m.signed for m in shift.movements.all()), Decimal(0))
    return shift.opening_float + cash_sales(shift) + movements


# Notes of one kind in a drawer, at most: 100.000 notes of 500.000 ₫ is 50 billion đồng, and the
# nine kinds together stay well inside the 12 digits of Shift.counted_total.
MAX_NOTES = 100_000


def count_total(counted: dict) -> tuple[dict[str, int], Decimal]:
    """Clean a denomination count {"500000": 2, …}: known notes only, whole non-negative numbers."""
    clean = {}
    for denomination in DENOMINATIONS:
        raw = counted.get(str(denomination), counted.get(denomination, 0)) or 0
        try:
            n = int(raw)
        except (TypeError, ValueError, OverflowError):
            raise PosError(_("Count whole notes of %(note)s.") % {"note": currency(denomination)}) from None
        if n < 0:
            raise PosError(_("Count whole notes of %(note)s.") % {"note": currency(denomination)})
        if n > MAX_NOTES:  # issue 20: a count past the total's 12 digits was a 500 (numeric overflow)
            raise PosError(_("Count at most %(max)s notes of %(note)s.")
                           % {"max": f"{MAX_NOTES:,}".replace(",", "."), "note": currency(denomination)})
        if n:
            clean[str(denomination)] = n
    return clean, Decimal(sum(int(d) * n for d, n in clean.items()))


@transaction.atomic
def close_shift(*, shift: Shift, counted: dict, note: str = "") -> Shift:
    shift = Shift.objects.select_for_update(no_key=True).get(pk=shift.pk)
    if not shift.is_open:
        raise PosError(_("This shift is already closed."))
    clean, total = count_total(counted)
    expected = expected_cash(shift)
    difference = total - expected
    if difference and not (note or "").strip():
        raise PosError(_("The drawer is %(difference)s off what it should hold: write a note saying why.")
                       % {"difference": currency(difference)})
    shift.counted, shift.counted_total, shift.expected, shift.difference = clean, total, expected, difference
    shift.note = (note or "").strip()
    shift.closed_at = timezone.now()
    shift.save()
    return shift

"""A customer brings goods back: refund lines of an earlier counter sale, the units go back on
the shelf, the cash leaves the drawer of the shift doing the refund (a cash movement out)."""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from core.money import whole_dong
from settlement import services as ledger
from shop.partner import stock
from shop.payment.refunds import record_refund

from . import shifts
from .errors import PosError
from .models import SOURCE_TYPES, CashMovement, PosReturn, PosReturnLine, PosSale

OrderNote = get_model("order", "OrderNote")


def returned_quantities(sale: PosSale) -> dict[int, int]:
    rows = (PosReturnLine.objects.filter(pos_return__sale=sale).values("line_id").annotate(n=Sum("quantity")))
    return {row["line_id"]: row["n"] for row in rows}


def unit_refund(sale: PosSale, line) -> Decimal:
    """What one unit of the line paid, after the sale's discount spread over the lines by value."""
    order = sale.order
    gross = order.total_before_discounts_incl_tax
    share = (order.total_incl_tax / gross) if gross else Decimal(1)
    return line.unit_price_incl_tax * share


@transaction.atomic
def refund(*, sale: PosSale, shift, quantities: dict[int, int], reason: str) -> PosReturn:
    """Refund `quantities` ({order line id: units}) of `sale`, in cash from `shift`'s drawer."""
    sale = PosSale.objects.select_for_update(no_key=True).get(pk=sale.pk)  # no join: see pos/sale.py
    if shift is None or not shift.is_open:
        raise PosError(_("Open a shift before refunding."), status=409)
    if shift.showroom_id != sale.showroom_id:
        raise PosError(_("This sale was made at another showroom."), status=403)
    if not (reason or "").strip():
        raise PosError(_("Say why the goods come back."))
    lines = {line.pk: line for line in sale.order.lines.select_related("stockrecord")}
    done = returned_quantities(sale)
    wanted = {int(k): int(v) for k, v in quantities.items() if int(v)}
    if not wanted:
        raise PosError(_("Choose at least one unit to refund."))
    total = Decimal(0)
    rows = []
    for line_id, quantity in wanted.items():
        line = lines.get(line_id)
        if line is None or quantity < 0:
            raise PosError(_("That line is not part of this sale."))
        left = line.quantity - done.get(line_id, 0)
        if quantity > left:
            raise PosError(_("Only %(left)d of «%(title)s» can still be returned.") % {"left": left,
                                                                                     "title": line.title})
        amount = whole_dong(unit_refund(sale, line) * quantity)
        rows.append((line, quantity, amount))
        total += amount
    if total > shifts.expected_cash(shift):
        raise PosError(_("The drawer does not hold %(amount)s for this refund.") % {"amount": currency(total)})
    ret = PosReturn.objects.create(sale=sale, shift=shift, cashier=shift.cashier, reason=reason.strip(),
                                   amount=total)
    for line, quantity, amount in rows:
        PosReturnLine.objects.create(pos_return=ret, line=line, quantity=quantity, amount=amount)
        if line.stockrecord_id:  # back on the shelf, through the stock ledger
            stock.receive_back(line=line, quantity=quantity, actor=shift.cashier, reason=stock.Reason.COUNTER_RETURN,
                               source=ret, note=ret.reason)
    ledger.record_counter_return(ret)  # the producers' credit reversed, in the return's transaction
    shifts.record_movement(shift=shift, kind=CashMovement.OUT, amount=total, refund=ret,
                           reason=_("Refund, order %(number)s") % {"number": sale.order.number})
    paid_by = sale.payments.order_by("method").values_list("method", flat=True)
    source = SOURCE_TYPES["cash"] if "cash" in paid_by else SOURCE_TYPES[paid_by[0]] if paid_by else None
    if source and total:
        record_refund(order=sale.order, amount=total, reference=f"pos-return-{ret.pk}", source_type=source,
                      note=_("Returned at the counter: %(reason)s") % {"reason": ret.reason})
    return ret

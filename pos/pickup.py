"""The counter's side of a pick-up: take what is still owed (the counter's payment methods, into
the shift's drawer) and hand the goods over, in one transaction under the pick-up's row lock, so
two cashiers handing over the same order at once charge and hand over once.

Receiving the producer's goods and the hand-over itself are pickups/services.py's: the counter
only adds the money."""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from pickups import services as pickups
from pickups.models import Pickup, State
from shop.order import services as order_services

from .errors import PosError
from .models import CARD, CASH, SOURCE_TYPES, VIETQR, PickupPayment
from .sale import Tender, split

Order = get_model("order", "Order")


def amount_due(order) -> Decimal:
    return max(order.total_incl_tax - order_services.amount_paid(order), Decimal(0))


def _no_money(tender: Tender) -> bool:
    return not (tender.cash_tendered or tender.vietqr_amount or tender.card_amount)


@transaction.atomic
def collect(*, pickup_id: int, showroom, shift, user, tender: Tender | None = None) -> tuple[Pickup, bool, Decimal]:
    """Take the payment still due (if any) and hand the order over. Returns (pickup, handed over
    now?, change). A second cashier's click finds it collected: (pickup, False, 0), no money taken."""
    tender = tender or Tender()
    pickup = Pickup.objects.select_for_update(of=("self",), no_key=True).select_related("order", "showroom").get(pk=pickup_id)
    try:
        pickups.check_showroom(pickup, showroom)
        if pickup.state == State.COLLECTED:
            return pickup, False, Decimal(0)
        pickups.check_can_hand_over(pickup)
    except pickups.PickupError as exc:
        raise PosError(str(exc), status=409) from None
    order = Order.objects.select_for_update(of=("self",), no_key=True).get(pk=pickup.order_id)
    due = amount_due(order)
    change = Decimal(0)
    if due:
        if shift is None or not shift.is_open or shift.showroom_id != showroom.pk:
            raise PosError(_("Open a shift before taking a payment."), status=409)
        money = split(due, tender)
        change = money.change
        payments = []
        if money.cash_due:
            payments.append(PickupPayment(method=CASH, amount=money.cash_due, tendered=tender.cash_tendered,
                                          change=money.change))
        if tender.vietqr_amount:
            payments.append(PickupPayment(method=VIETQR, amount=tender.vietqr_amount))
        if tender.card_amount:
            payments.append(PickupPayment(method=CARD, amount=tender.card_amount,
                                          reference=tender.card_reference.strip()[:64]))
        for payment in payments:
            payment.shift, payment.order, payment.cashier = shift, order, user
            payment.save()
            order_services.record_payment(order=order, amount=payment.amount, source_type=SOURCE_TYPES[payment.method],
                                          reference=f"pickup-{payment.pk}-{payment.reference}"[:128])
    elif not _no_money(tender):
        raise PosError(_("Order %(number)s is already paid: take no money.") % {"number": order.number})
    try:
        pickup, handed = pickups.hand_over(pickup_id=pickup.pk, showroom=showroom, user=user)
    except pickups.PickupError as exc:
        raise PosError(str(exc), status=409) from None
    return pickup, handed, change


def receive(*, pickup_id: int, showroom, user, line_ids=None) -> int:
    try:
        return pickups.receive_goods(pickup_id=pickup_id, showroom=showroom, user=user, line_ids=line_ids)
    except pickups.PickupError as exc:
        raise PosError(str(exc), status=409) from None

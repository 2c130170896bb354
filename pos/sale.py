"""Completing a counter sale: an ordinary Oscar order, paid, the goods taken off the shelf.

In one transaction, under the cart's row lock: the version the cashier saw is checked, the
payments are checked against the total, our OrderCreator allocates the shelf records under
lock (shop/partner/stock.py: the shelf cannot be oversold, exactly as online), the allocation is
consumed at once (the customer walks out with the goods), the payments are recorded as Oscar
payment sources and the cart gets a fresh basket. A second request for the same basket (a
second tab, a double click, a retried POST) finds the order already placed and gets it back.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_class, get_model
from oscar.core.prices import Price
from oscar.templatetags.currency_filters import currency

from settlement import services as ledger
from shop.order import services as order_services
from shop.order import statuses
from shop.partner import stock

from . import cart as carts
from .errors import PosError
from .models import CARD, CASH, SOURCE_TYPES, VIETQR, PosCart, PosSale

Order = get_model("order", "Order")
OrderDiscount = get_model("order", "OrderDiscount")
OrderCreator = get_class("order.utils", "OrderCreator")
NoShippingRequired = get_class("shipping.methods", "NoShippingRequired")


@dataclass(frozen=True)
class Tender:
    """What the customer hands over. Cash pays whatever VietQR and card do not."""

    cash_tendered: Decimal = Decimal(0)
    vietqr_amount: Decimal = Decimal(0)
    vietqr_confirmed: bool = False
    card_amount: Decimal = Decimal(0)
    card_reference: str = ""


@dataclass(frozen=True)
class Split:
    cash_due: Decimal
    change: Decimal


def split(total: Decimal, tender: Tender) -> Split:
    """Check the payments cover `total` exactly (cash may be more: change is given)."""
    for amount in (tender.cash_tendered, tender.vietqr_amount, tender.card_amount):
        if amount < 0 or amount != amount.to_integral_value():
            raise PosError(_("Amounts are whole numbers of đồng, 0 or more."))
    if tender.vietqr_amount and not tender.vietqr_confirmed:
        raise PosError(_("Confirm that the VietQR transfer has arrived before completing the sale."))
    if tender.card_amount and not tender.card_reference.strip():
        raise PosError(_("Enter the card terminal's reference for the card payment."))
    cash_due = total - tender.vietqr_amount - tender.card_amount
    if cash_due < 0:
        raise PosError(_("VietQR and card together are more than the total (%(total)s).") % {"total": currency(total)})
    if tender.cash_tendered < cash_due:
        raise PosError(_("Cash tendered (%(tendered)s) is less than the amount due in cash (%(due)s).")
                       % {"tendered": currency(tender.cash_tendered), "due": currency(cash_due)})
    if cash_due == 0 and tender.cash_tendered:
        raise PosError(_("Nothing is due in cash: clear the cash tendered."))
    return Split(cash_due=cash_due, change=tender.cash_tendered - cash_due)


@transaction.atomic
def complete_sale(*, cart_id: int, basket_id: int, version: int, shift, tender: Tender) -> tuple[PosSale, bool]:
    """Sell the cart. Returns (sale, True) when sold now, (sale, False) when that basket had
    already been sold (the second tab gets the first tab's sale, nothing is sold twice)."""
    # Lock the row alone: with a join, PostgreSQL re-checks the join against the row the first tab
    # just changed (a new basket) and the second tab would find no cart at all.
    cart = PosCart.objects.select_for_update(no_key=True).get(pk=cart_id)
    earlier = PosSale.objects.filter(order__basket_id=basket_id, showroom=cart.showroom).select_related("order")
    if earlier.exists():
        return earlier.get(), False
    if cart.basket_id != basket_id:
        raise PosError(_("This cart is no longer on the counter: reload the page."), status=409)
    if cart.version != version:
        raise PosError(_("The cart was changed in another tab: check it, then complete the sale again."), status=409)
    if shift is None or not shift.is_open or shift.showroom_id != cart.showroom_id or shift.cashier_id != cart.cashier_id:
        raise PosError(_("Open a shift before selling."), status=409)
    basket = cart.basket
    basket.strategy = carts.strategy_for(cart.showroom)
    if basket.is_empty:
        raise PosError(_("The cart is empty: scan a product first."))
    total = carts.total(cart)
    money = split(total, tender)
    try:
        order = OrderCreator().place_order(
            basket=basket, total=Price(currency=basket.currency, excl_tax=total, incl_tax=total),
            shipping_method=NoShippingRequired(), shipping_charge=Price(basket.currency, Decimal(0), Decimal(0)),
            user=None, status=statuses.DELIVERED)
    except UnableToPlaceOrder as exc:
        raise PosError(str(exc), status=409) from None
    # Handed over the counter: off the shelf now, through the stock ledger.
    stock.consume_lines(order.lines.all(), actor=shift.cashier, reason=stock.Reason.COUNTER_SALE)
    if cart.discount:
        OrderDiscount.objects.create(order=order, category=OrderDiscount.BASKET, offer_name=_("Showroom discount"),
                                     amount=cart.discount, message=cart.discount_reason)
    sale = PosSale.objects.create(order=order, showroom=cart.showroom, shift=shift, cashier_id=cart.cashier_id,
                                  customer_phone=cart.customer_phone, discount=cart.discount)
    payments = []
    if money.cash_due:
        payments.append(sale.payments.create(method=CASH, amount=money.cash_due, tendered=tender.cash_tendered,
                                             change=money.change))
    if tender.vietqr_amount:
        payments.append(sale.payments.create(method=VIETQR, amount=tender.vietqr_amount))
    if tender.card_amount:
        payments.append(sale.payments.create(method=CARD, amount=tender.card_amount,
                                             reference=tender.card_reference.strip()[:64]))
    for payment in payments:
        order_services.record_payment(order=order, amount=payment.amount, source_type=SOURCE_TYPES[payment.method],
                                      reference=f"pos-{payment.pk}-{payment.reference}"[:128])
    ledger.record_counter_sale(sale)  # the producers' credit, in the sale's transaction
    carts.start_new_basket(cart)
    return sale, True

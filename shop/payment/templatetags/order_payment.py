"""`{% order_payment order as pay %}`: how an order is paid, for every page and e-mail that shows it."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import template
from django.conf import settings

from shop.order import services, statuses
from shop.payment import methods
from shop.payment.models import OrderPayment
from shop.payment.vietqr import TransferDetails, transfer_details

register = template.Library()


@dataclass(frozen=True)
class PaymentInfo:
    method: str
    label: str
    cod_inspection: bool
    awaiting_transfer: bool
    transfer: TransferDetails | None
    deadline: datetime | None
    paid: bool = False  # fully paid: a transfer order's page says "payment received"

    @property
    def is_cod(self):
        return self.method == methods.COD

    @property
    def is_vietqr(self):
        return self.method == methods.VIETQR

    @property
    def is_card(self):
        return self.method == methods.CARD

    @property
    def is_counter(self):
        """Paid at the showroom's counter when the pick-up is collected."""
        return self.method == methods.COUNTER


def payment_info(order) -> PaymentInfo | None:
    try:
        choice = order.payment_choice
    except OrderPayment.DoesNotExist:
        return None  # placed another way (e.g. a test or the admin): nothing to say
    transfer = deadline = None
    if choice.method == methods.VIETQR and order.total_incl_tax > 0:
        transfer = transfer_details(order)
        hours = getattr(settings, "VIETQR_PAYMENT_HOURS", 24)  # the order-expiry task cancels after this
        deadline = order.date_placed + timedelta(hours=hours)
    return PaymentInfo(method=choice.method, label=methods.LABELS[choice.method],
                       cod_inspection=choice.cod_inspection,
                       awaiting_transfer=transfer is not None and order.status == statuses.AWAITING_TRANSFER,
                       transfer=transfer, deadline=deadline,
                       paid=choice.method == methods.VIETQR and services.is_paid(order))


@register.simple_tag
def order_payment(order):
    return payment_info(order)

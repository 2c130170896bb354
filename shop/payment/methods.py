"""The ways a shopper can pay, and which order status each one starts the order in."""
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shop.order import statuses

COD = "cod"
VIETQR = "vietqr"
CARD = "card"
COUNTER = "counter"  # pick-up only: paid at the showroom's counter (cash, VietQR or card there)

METHOD_CHOICES = [
    (COD, _("Cash on delivery")),
    (VIETQR, _("Bank transfer (VietQR)")),
    (CARD, _("Card (Stripe)")),
    (COUNTER, _("Pay at the showroom when collecting")),
]
LABELS = dict(METHOD_CHOICES)

# COD is owed on delivery, so producers start preparing at once; the others wait for the money.
INITIAL_STATUS = {
    COD: statuses.PROCESSING,
    VIETQR: statuses.AWAITING_TRANSFER,
    CARD: statuses.PENDING_PAYMENT,
    COUNTER: statuses.PROCESSING,  # like COD: the goods are got ready, paid when collected
}


def available_methods(*, pickup: bool = False) -> list[str]:
    """Codes offered at checkout: card only when the Stripe keys are configured. A pick-up is
    paid at the showroom's counter instead of to a courier."""
    codes = [COUNTER if pickup else COD, VIETQR]
    if getattr(settings, "STRIPE_ENABLED", False):
        codes.append(CARD)
    return codes

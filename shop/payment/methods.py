"""The ways a shopper can pay, and which order status each one starts the order in."""
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shop.order import statuses

COD = "cod"
VIETQR = "vietqr"
CARD = "card"

METHOD_CHOICES = [
    (COD, _("Cash on delivery")),
    (VIETQR, _("Bank transfer (VietQR)")),
    (CARD, _("Card (Stripe)")),
]
LABELS = dict(METHOD_CHOICES)

# COD is owed on delivery, so producers start preparing at once; the others wait for the money.
INITIAL_STATUS = {
    COD: statuses.PROCESSING,
    VIETQR: statuses.AWAITING_TRANSFER,
    CARD: statuses.PENDING_PAYMENT,
}


def available_methods() -> list[str]:
    """Codes offered at checkout: card only when the Stripe keys are configured."""
    codes = [COD, VIETQR]
    if getattr(settings, "STRIPE_ENABLED", False):
        codes.append(CARD)
    return codes

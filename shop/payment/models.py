from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.payment.methods import METHOD_CHOICES


class OrderPayment(models.Model):
    """How the shopper chose to pay for an order, kept with the order for staff and e-mails.

    Money received is recorded with Oscar's sources and events (shop/order/services.py); this
    row only says which channel to expect it through, and whether a COD parcel may be opened
    before paying ("cho xem hàng", the shopper's most asked-for COD term: see OCOP.md).
    """

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="payment_choice",
                                 verbose_name=_("Order"))
    method = models.CharField(_("Payment method"), max_length=16, choices=METHOD_CHOICES)
    cod_inspection = models.BooleanField(_("Inspection allowed before paying"), default=False)
    created_at = models.DateTimeField(_("Created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Order payment method")
        verbose_name_plural = _("Order payment methods")

    def __str__(self):
        return f"{self.order_id}: {self.method}"


from oscar.apps.payment.models import *  # noqa: E402,F401,F403

from .stripe_models import StripeCheckout, StripeEvent  # noqa: E402,F401

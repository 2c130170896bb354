from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractBillingAddress, AbstractShippingAddress
from oscar.apps.order.abstract_models import AbstractOrder

from shop.address.postcodes import AdministrativeUnitCodes, VietnamesePostcodes


class ShippingAddress(VietnamesePostcodes, AdministrativeUnitCodes, AbstractShippingAddress):
    class Meta(AbstractShippingAddress.Meta):
        pass


class BillingAddress(VietnamesePostcodes, AbstractBillingAddress):
    class Meta(AbstractBillingAddress.Meta):
        pass


class Order(AbstractOrder):
    # Where the shopper collects the order when it ships by "pick up at a showroom" (else null).
    pickup_showroom = models.ForeignKey("showrooms.Showroom", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="pickup_orders", verbose_name=_("Pick-up showroom"))

    class Meta(AbstractOrder.Meta):
        pass

    def refused_lines(self):
        """Lines refused at the door (on their way back, or back with their producer)."""
        from .statuses import LINE_RECEIVED_BACK, LINE_REFUSED

        return self.lines.filter(status__in=(LINE_REFUSED, LINE_RECEIVED_BACK))

    def paid_amount(self):
        """Money received for the order less refunds (shop.order.services.amount_paid), for templates."""
        from .services import amount_paid

        return amount_paid(self)

    def save(self, *args, **kwargs):
        # The pick-up method's code names the showroom (shop/shipping/methods.py), so whichever
        # channel places the order (checkout, dashboard, tests), the showroom is stored with it.
        if self.pickup_showroom_id is None:
            from shop.shipping.methods import showroom_id_from_code

            self.pickup_showroom_id = showroom_id_from_code(self.shipping_code)
        super().save(*args, **kwargs)


class LineReturn(models.Model):
    """A shopper asks to send back units of a delivered line (shop/order/lifecycle.py: request_return,
    accept_return, refuse_return, receive_return). The money goes back through Oscar's payment events
    (shop/payment/refunds.py); the units through the stock module."""

    REQUESTED, ACCEPTED, REFUSED, RECEIVED = "requested", "accepted", "refused", "received"
    STATUS_CHOICES = [
        (REQUESTED, _("Waiting for our answer")),
        (ACCEPTED, _("Accepted and refunded")),
        (REFUSED, _("Refused")),
        (RECEIVED, _("Goods received back")),
    ]
    OPEN = (REQUESTED, ACCEPTED)  # the units asked for still count against the line

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="line_returns",
                              verbose_name=_("Order"))
    line = models.ForeignKey("order.Line", on_delete=models.CASCADE, related_name="returns",
                             verbose_name=_("Order line"))
    quantity = models.PositiveIntegerField(_("Quantity"))
    reason = models.TextField(_("Reason"))
    photo = models.ImageField(_("Photo"), upload_to="returns/%Y/%m/", blank=True, max_length=255)
    status = models.CharField(_("Status"), max_length=16, choices=STATUS_CHOICES, default=REQUESTED,
                              db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("Asked by"))
    created_at = models.DateTimeField(_("Asked on"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("Answered by"))
    decided_at = models.DateTimeField(_("Answered on"), null=True, blank=True)
    decision_note = models.TextField(_("Answer"), blank=True)
    refund_amount = models.DecimalField(_("Refunded"), max_digits=12, decimal_places=2, null=True, blank=True)
    refund_reference = models.CharField(_("Refund reference"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("Received back on"), null=True, blank=True)
    restocked = models.PositiveIntegerField(_("Units put back in stock"), default=0)
    written_off = models.PositiveIntegerField(_("Units written off"), default=0)
    write_off_reason = models.CharField(_("Why written off"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("Return")
        verbose_name_plural = _("Returns")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.order_id} · {self.line_id} × {self.quantity} ({self.status})"


from oscar.apps.order.models import *  # noqa: E402,F403

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

    def save(self, *args, **kwargs):
        # The pick-up method's code names the showroom (shop/shipping/methods.py), so whichever
        # channel places the order (checkout, dashboard, tests), the showroom is stored with it.
        if self.pickup_showroom_id is None:
            from shop.shipping.methods import showroom_id_from_code

            self.pickup_showroom_id = showroom_id_from_code(self.shipping_code)
        super().save(*args, **kwargs)


from oscar.apps.order.models import *  # noqa: E402,F403

from oscar.apps.address.abstract_models import AbstractBillingAddress, AbstractShippingAddress

from shop.address.postcodes import VietnamesePostcodes


class ShippingAddress(VietnamesePostcodes, AbstractShippingAddress):
    class Meta(AbstractShippingAddress.Meta):
        pass


class BillingAddress(VietnamesePostcodes, AbstractBillingAddress):
    class Meta(AbstractBillingAddress.Meta):
        pass


from oscar.apps.order.models import *  # noqa: E402

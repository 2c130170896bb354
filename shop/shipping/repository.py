from oscar.apps.shipping.repository import Repository as CoreRepository

from showrooms.models import Showroom

from .methods import Express, ShowroomPickup, Standard


class Repository(CoreRepository):
    """Standard first: it is what the basket page quotes before an address is known."""

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        methods = [Standard(shipping_addr), Express(shipping_addr)]
        methods += [ShowroomPickup(showroom) for showroom in Showroom.objects.active()]
        return methods

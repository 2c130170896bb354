from django.db import router
from oscar.apps.shipping.repository import Repository as CoreRepository

from core.prepared import Prepared
from showrooms.models import Showroom

from .methods import Express, ShowroomPickup, Standard

# `Showroom.objects.active()`, listed on every checkout step that lists the delivery methods (the
# shipping method, payment and preview steps): its SQL compiled once per connection (core/prepared.py),
# the same statement and objects, instead of compiling it each request (~1,000 Python calls, issue 21).
_ACTIVE_SHOWROOMS = Prepared(lambda shape: Showroom.objects.active(), name="active_showrooms")


def active_showrooms() -> list:
    return _ACTIVE_SHOWROOMS.run(None, [], using=router.db_for_read(Showroom))


class Repository(CoreRepository):
    """Standard first: it is what the basket page quotes before an address is known."""

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        methods = [Standard(shipping_addr), Express(shipping_addr)]
        methods += [ShowroomPickup(showroom) for showroom in active_showrooms()]
        return methods

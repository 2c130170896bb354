"""Oscar's OrderCreator with stock checked and locked up front, before any order row is written,
and each order line's units held through the stock ledger (shop/partner/stock.py)."""
from django.db import transaction
from oscar.apps.order import utils as oscar_utils
from oscar.apps.order.utils import *  # noqa: F401,F403

from shop.partner import stock


def pickup_showroom(shipping_method):
    """The showroom of a pick-up method (its code names it, even inside Oscar's discount wrapper)."""
    from shop.shipping.methods import showroom_id_from_code
    from showrooms.models import Showroom

    showroom_id = showroom_id_from_code(getattr(shipping_method, "code", None))
    return Showroom.objects.filter(pk=showroom_id).first() if showroom_id else None


class OrderCreator(oscar_utils.OrderCreator):
    def place_order(self, basket, *args, **kwargs):
        # Atomic on its own so it is all-or-nothing outside a request too (tasks, POS, the bench);
        # inside a request (ATOMIC_REQUESTS) it is a savepoint that InsufficientStock rolls back.
        with transaction.atomic():
            self._locked_stock = {}
            self._stock_actor = kwargs.get("user") or (args[3] if len(args) > 3 else None)
            from_shelf = False
            if not basket.is_empty:  # Oscar refuses empty baskets with its own message
                showroom = pickup_showroom(kwargs.get("shipping_method"))
                if showroom is not None:  # served from its shelf where it has the goods (pickups/)
                    from pickups.stock_moves import route_basket_to_shelf

                    from_shelf = route_basket_to_shelf(basket, showroom)
                self._locked_stock = stock.lock_for_basket(basket.all_lines())
            order = super().place_order(basket, *args, **kwargs)
            if order.pickup_showroom_id:
                from pickups.services import open_pickup

                open_pickup(order=order, from_shelf=from_shelf)
            return order

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        line = super().create_line_models(order, basket_line, extra_line_fields)
        # Held now, with the order line the movement names; the rows were locked and checked above.
        stock.allocate_line(line, actor=getattr(self, "_stock_actor", None),
                            record=getattr(self, "_locked_stock", {}).get(line.stockrecord_id))
        return line

    def update_stock_records(self, line):
        """Nothing: create_line_models allocated each order line through the stock ledger."""

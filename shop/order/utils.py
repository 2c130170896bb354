"""Oscar's OrderCreator with stock checked and locked up front, before any order row is written,
and each order line's units held through the stock ledger (shop/partner/stock.py)."""
from django.db import transaction
from oscar.apps.order import utils as oscar_utils
from oscar.apps.order.utils import *  # noqa: F401,F403

from shop.partner import stock


class OrderCreator(oscar_utils.OrderCreator):
    def place_order(self, basket, *args, **kwargs):
        # Atomic on its own so it is all-or-nothing outside a request too (tasks, POS, the bench);
        # inside a request (ATOMIC_REQUESTS) it is a savepoint that InsufficientStock rolls back.
        with transaction.atomic():
            self._locked_stock = {}
            self._stock_actor = kwargs.get("user") or (args[3] if len(args) > 3 else None)
            if not basket.is_empty:  # Oscar refuses empty baskets with its own message
                self._locked_stock = stock.lock_for_basket(basket.all_lines())
            return super().place_order(basket, *args, **kwargs)

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        line = super().create_line_models(order, basket_line, extra_line_fields)
        # Held now, with the order line the movement names; the rows were locked and checked above.
        stock.allocate_line(line, actor=getattr(self, "_stock_actor", None),
                            record=getattr(self, "_locked_stock", {}).get(line.stockrecord_id))
        return line

    def update_stock_records(self, line):
        """Nothing: create_line_models allocated each order line through the stock ledger."""

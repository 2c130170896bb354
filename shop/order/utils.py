"""Oscar's OrderCreator with stock allocated up front, under lock, before any order row is written."""
from django.db import transaction
from oscar.apps.order import utils as oscar_utils
from oscar.apps.order.utils import *  # noqa: F401,F403

from shop.partner.stock import allocate_lines


class OrderCreator(oscar_utils.OrderCreator):
    def place_order(self, basket, *args, **kwargs):
        # Atomic on its own so it is all-or-nothing outside a request too (tasks, POS, the bench);
        # inside a request (ATOMIC_REQUESTS) it is a savepoint that InsufficientStock rolls back.
        with transaction.atomic():
            if not basket.is_empty:  # Oscar refuses empty baskets with its own message
                allocate_lines(basket.all_lines())
            return super().place_order(basket, *args, **kwargs)

    def update_stock_records(self, line):
        """Already allocated by allocate_lines, which locked and re-checked every line at once."""

"""Oscar's order event handler, with a status change to Cancelled made by shop.order.services.cancel_order:
the office's "change status" on the dashboard then gives the order's held units back through the
stock ledger (Oscar's handler only set the status, and the units stayed allocated for ever)."""
from oscar.apps.order import processing as oscar_processing
from oscar.apps.order.processing import *  # noqa: F403

from . import services, statuses


class EventHandler(oscar_processing.EventHandler):
    def handle_order_status_change(self, order, new_status, note_msg=None):
        if new_status == statuses.CANCELLED:
            services.cancel_order(order=order, reason=note_msg or "Cancelled by the OCOP office", actor=self.user)
            return
        super().handle_order_status_change(order, new_status, note_msg=note_msg)

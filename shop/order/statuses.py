"""Order statuses of an OCOP Market order, and how an order moves between them.

Values are English (stored in the database, shown through `{% trans order.status %}`); the
Vietnamese is in locale/. Payment is recorded with Oscar's payment sources and events
(shop/order/services.py); the status says what the shopper waits for next.
"""
from django.utils.translation import gettext_lazy as _

PENDING_PAYMENT = "Pending payment"  # card: a Stripe Checkout Session is open
AWAITING_TRANSFER = "Awaiting transfer"  # VietQR: waiting for the bank transfer
PROCESSING = "Processing"  # paid, or cash on delivery: producers prepare it
SHIPPED = "Shipped"
DELIVERED = "Delivered"
CANCELLED = "Cancelled"

# Oscar's pipeline: status -> statuses it may move to (Order.set_status enforces it).
PIPELINE = {
    PENDING_PAYMENT: (PROCESSING, CANCELLED),
    AWAITING_TRANSFER: (PROCESSING, CANCELLED),
    PROCESSING: (SHIPPED, DELIVERED, CANCELLED),
    SHIPPED: (DELIVERED, CANCELLED),
    DELIVERED: (),
    CANCELLED: (),
}
UNPAID = (PENDING_PAYMENT, AWAITING_TRANSFER)

LABELS = {
    PENDING_PAYMENT: _("Pending payment"),
    AWAITING_TRANSFER: _("Awaiting transfer"),
    PROCESSING: _("Processing"),
    SHIPPED: _("Shipped"),
    DELIVERED: _("Delivered"),
    CANCELLED: _("Cancelled"),
}

# Line statuses: each producer packs, then ships, their own lines (producer_portal/fulfilment.py).
# A new line has Oscar's initial line status, "" (OSCAR_INITIAL_LINE_STATUS is not set).
LINE_NEW = ""
LINE_PACKED = "Packed"
LINE_SHIPPED = "Shipped"
LINE_PIPELINE = {LINE_NEW: (LINE_PACKED, LINE_SHIPPED), LINE_PACKED: (LINE_SHIPPED,), LINE_SHIPPED: ()}
LINE_LABELS = {LINE_NEW: _("To prepare"), LINE_PACKED: _("Packed"), LINE_SHIPPED: _("Shipped")}

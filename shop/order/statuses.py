"""Order statuses of an OCOP Market order, and how an order moves between them.

Values are English (stored in the database, shown through `{% trans order.status %}`); the
Vietnamese is in locale/. Payment is recorded with Oscar's payment sources and events
(shop/order/services.py); the status says what the shopper waits for next.

After "Shipped" (shop/order/lifecycle.py moves an order, whichever channel asks):
- every line delivered, or delivered and some refused at the door -> Delivered;
- every line refused at the door / sent back by the carrier -> Refused;
- a refused order whose goods every producer has received back -> Returned.
Returns asked for after delivery are rows of their own (shop/order/models.py LineReturn); the
order stays Delivered.
"""
from django.utils.translation import gettext_lazy as _

PENDING_PAYMENT = "Pending payment"  # card: a Stripe Checkout Session is open
AWAITING_TRANSFER = "Awaiting transfer"  # VietQR: waiting for the bank transfer
PROCESSING = "Processing"  # paid, or cash on delivery: producers prepare it
SHIPPED = "Shipped"
DELIVERED = "Delivered"  # the shopper has the parcel (perhaps without the lines refused at the door)
REFUSED = "Refused"  # the whole parcel refused at the door or returned to sender by the carrier
RETURNED = "Returned"  # a refused parcel is back with its producers (restocked or written off)
CANCELLED = "Cancelled"

# Oscar's pipeline: status -> statuses it may move to (Order.set_status enforces it).
# Processing -> Delivered/Refused: with several producers, the first parcels can reach the door while
# the order still waits for another producer's; the order follows its lines (lifecycle.follow_lines).
PIPELINE = {
    PENDING_PAYMENT: (PROCESSING, CANCELLED),
    AWAITING_TRANSFER: (PROCESSING, CANCELLED),
    PROCESSING: (SHIPPED, DELIVERED, REFUSED, CANCELLED),
    SHIPPED: (DELIVERED, REFUSED, CANCELLED),
    DELIVERED: (),
    REFUSED: (RETURNED,),
    RETURNED: (),
    CANCELLED: (),
}
UNPAID = (PENDING_PAYMENT, AWAITING_TRANSFER)
# The parcel has left the producers: what is left to happen is at the door.
AT_THE_DOOR = (SHIPPED, DELIVERED, REFUSED, RETURNED)

LABELS = {
    PENDING_PAYMENT: _("Pending payment"),
    AWAITING_TRANSFER: _("Awaiting transfer"),
    PROCESSING: _("Processing"),
    SHIPPED: _("Shipped"),
    DELIVERED: _("Delivered"),
    REFUSED: _("Refused"),  # vi: refused at the door or returned to sender
    RETURNED: _("Returned"),  # vi: back with the producers
    CANCELLED: _("Cancelled"),
}

# Line statuses: each producer packs, then ships, their own lines (producer_portal/fulfilment.py);
# then each line is delivered, or refused at the door and later received back by its producer
# (shop/order/lifecycle.py). A new line has Oscar's initial line status, "" (OSCAR_INITIAL_LINE_STATUS
# is not set).
LINE_NEW = ""
LINE_PACKED = "Packed"
LINE_SHIPPED = "Shipped"
LINE_DELIVERED = "Delivered"
LINE_REFUSED = "Refused"  # refused at the door / returned to sender: on its way back to the producer
LINE_RECEIVED_BACK = "Received back"  # the producer has it again: restocked, or written off as damaged
# New/Packed -> Delivered: handed over in person (the producer's own delivery, a pick-up at a counter,
# an office clerk recording a COD delivery the producer never marked shipped).
LINE_PIPELINE = {
    LINE_NEW: (LINE_PACKED, LINE_SHIPPED, LINE_DELIVERED),
    LINE_PACKED: (LINE_SHIPPED, LINE_DELIVERED),
    LINE_SHIPPED: (LINE_DELIVERED, LINE_REFUSED),
    LINE_DELIVERED: (),
    LINE_REFUSED: (LINE_RECEIVED_BACK,),
    LINE_RECEIVED_BACK: (),
}
LINE_LABELS = {
    LINE_NEW: _("To prepare"),
    LINE_PACKED: _("Packed"),
    LINE_SHIPPED: _("Shipped"),
    LINE_DELIVERED: _("Delivered"),
    LINE_REFUSED: _("Refused"),
    LINE_RECEIVED_BACK: _("Received back"),
}
# A line in one of these has left its producer (its stock is consumed: shop/partner/stock.py).
LINE_HANDED_OVER = (LINE_SHIPPED, LINE_DELIVERED, LINE_REFUSED, LINE_RECEIVED_BACK)
# A line in one of these has reached the end of its trip to the door.
LINE_AT_REST = (LINE_DELIVERED, LINE_REFUSED, LINE_RECEIVED_BACK)

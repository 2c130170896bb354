"""The events the shop tells people about. Customer events are Oscar communication event codes
(e-mail templates templates/oscar/communication/emails/commtype_<code lower>_*, editable in the
dashboard); the same codes name the Zalo template (ZALO_ZNS_TEMPLATE_*) and the SMS text."""
from django.utils.translation import gettext_lazy as _

# To the shopper
ORDER_PLACED = "ORDER_PLACED"  # the order confirmation ("order confirmed" on Zalo/SMS)
PAYMENT_RECEIVED = "PAYMENT_RECEIVED"
ORDER_CANCELLED = "ORDER_CANCELLED"
ORDER_SHIPPED = "ORDER_SHIPPED"  # every producer has shipped
ORDER_READY_AT_SHOWROOM = "ORDER_READY"  # waiting at the showroom the shopper chose (pickups/services.py)
PICKUP_REMINDER = "PICKUP_REMINDER"  # still not collected after PICKUP_REMINDER_DAYS
ORDER_DELIVERED = "ORDER_DELIVERED"
ORDER_REFUSED = "ORDER_REFUSED"  # refused at the door / returned
# About one return of a line (shop.order.models.LineReturn): once per return (occurrence "return-<id>").
RETURN_REQUESTED = "RETURN_REQUESTED"
RETURN_ACCEPTED = "RETURN_ACCEPTED"
RETURN_REFUSED = "RETURN_REFUSED"
RETURN_EVENTS = (RETURN_REQUESTED, RETURN_ACCEPTED, RETURN_REFUSED)

CUSTOMER_EVENTS = (ORDER_PLACED, PAYMENT_RECEIVED, ORDER_CANCELLED, ORDER_SHIPPED, ORDER_READY_AT_SHOWROOM,
                   ORDER_DELIVERED, ORDER_REFUSED, PICKUP_REMINDER, *RETURN_EVENTS)

# To a producer (their e-mail and portal notice go through notifications.models.Notification)
PRODUCER_NEW_ORDER = "PRODUCER_NEW_ORDER"
CERT_EXPIRY = "OCOP_CERT_EXPIRY"

# What the office sees of each message type (dashboard → Communications): stored once, in the
# shop's language, when the first message of the kind is sent.
NAMES = {
    ORDER_PLACED: _("Order confirmation"),
    PAYMENT_RECEIVED: _("Payment received"),
    ORDER_CANCELLED: _("Order cancelled"),
    ORDER_SHIPPED: _("Order shipped"),
    ORDER_READY_AT_SHOWROOM: _("Order ready at the showroom"),
    ORDER_DELIVERED: _("Order delivered"),
    ORDER_REFUSED: _("Parcel refused or returned"),
    PICKUP_REMINDER: _("Pick-up reminder"),
    RETURN_REQUESTED: _("Return requested"),
    RETURN_ACCEPTED: _("Return accepted"),
    RETURN_REFUSED: _("Return refused"),
}

from oscar.apps.payment.admin import *

from .stripe_admin import StripeCheckoutAdmin, StripeEventAdmin  # noqa: E402,F401

from oscar.apps.payment.models import *

from .stripe_models import StripeCheckout, StripeEvent  # noqa: E402,F401

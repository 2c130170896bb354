from oscar.apps.checkout.forms import *  # noqa: F401,F403

from .address_forms import *  # noqa: F401,F403
from .payment_forms import *  # noqa: F401,F403

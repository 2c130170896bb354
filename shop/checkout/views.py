from oscar.apps.checkout.views import *  # noqa: F401,F403

from .address_views import *  # noqa: F401,F403
from .payment_views import *  # noqa: F401,F403

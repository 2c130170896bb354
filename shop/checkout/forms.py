from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms
from oscar.apps.checkout.forms import *  # noqa: F401,F403

from .address_forms import *  # noqa: F401,F403
from .payment_forms import *  # noqa: F401,F403


class GatewayForm(oscar_forms.GatewayForm):
    """Oscar's "who are you?" form; its password box gets an accessible name (on the page it has
    only the "I am a returning customer" radio beside it, axe: every input needs a label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs["aria-label"] = _("Password")

from oscar.apps.address.forms import *  # noqa: F401,F403
from oscar.apps.address.forms import AbstractAddressForm
from oscar.core.loading import get_model

from .vn_forms import VietnameseAddressMixin


class UserAddressForm(VietnameseAddressMixin, AbstractAddressForm):
    """The customer's address book, in the same Vietnamese form as the checkout."""

    class Meta:
        model = get_model("address", "useraddress")
        fields = ["line1", "phone_number", "notes"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.user = user

"""The checkout's pick-up step: a name, a phone and a showroom; no home address."""
from django import forms
from django.utils.translation import gettext_lazy as _

from shop.address.vn_forms import NameAndPhoneMixin
from shop.checkout.address_forms import GuestEmailMixin
from showrooms.models import Showroom

__all__ = ["PickupContactForm"]


class ShowroomChoice(forms.ModelChoiceField):
    def label_from_instance(self, showroom):
        return f"{showroom.name} – {showroom.commune}"


class PickupContactForm(GuestEmailMixin, NameAndPhoneMixin, forms.Form):
    missing_name_message = _("Enter the full name of whoever collects the order.")
    showroom = ShowroomChoice(label=_("Showroom"), queryset=Showroom.objects.active(), empty_label=_("– choose a showroom –"),
                              error_messages={"required": _("Choose the showroom where you will pick up your order."),
                                              "invalid_choice": _("Choose a showroom from the list.")})
    full_name = forms.CharField(label=_("Full name"), max_length=120,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}),
                                error_messages={"required": _("Enter the full name of whoever collects the order.")})
    phone_number = forms.CharField(
        label=_("Phone number"), max_length=32,
        help_text=_("The showroom calls this number when your order is ready."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))

    def __init__(self, *args, ask_email: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "pickup_%s")  # beside the address form on one page: ids of its own
        super().__init__(*args, **kwargs)
        self.add_guest_email(ask_email)


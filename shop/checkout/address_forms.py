"""Checkout forms of the address and shipping steps (re-exported by shop/checkout/forms.py)."""
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.forms import AbstractAddressForm
from oscar.apps.checkout.forms import ShippingMethodForm as CoreShippingMethodForm
from oscar.core.loading import get_model

from shop.address.vn_forms import VietnameseAddressMixin
from shop.shipping.methods import PICKUP_PREFIX

PICKUP = "pickup"

__all__ = ["ShippingAddressForm", "ShippingMethodForm", "GuestEmailMixin"]


class GuestEmailMixin:
    """A guest's e-mail, optional: the phone is what a Vietnamese shopper is known by (issue 19).
    Forms of the first checkout screen take ask_email=True for a guest; a signed-in shopper's
    e-mail is their account's."""

    def add_guest_email(self, ask_email: bool, after: str = "phone_number"):
        if not ask_email:
            return
        self.fields["email"] = forms.EmailField(
            label=_("E-mail (optional)"), required=False, max_length=254,
            help_text=_("We tell you about your order by phone (SMS or Zalo). Leave an e-mail "
                        "too if you would like the confirmation there."),
            widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}))
        names = list(self.fields)
        names.remove("email")
        names.insert(names.index(after) + 1 if after in names else len(names), "email")
        self.order_fields(names)


class ShippingAddressForm(GuestEmailMixin, VietnameseAddressMixin, AbstractAddressForm):
    class Meta:
        model = get_model("order", "shippingaddress")
        fields = ["line1", "phone_number", "notes"]

    def __init__(self, *args, ask_email: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone_number"].help_text = _("The carrier calls this number; you can follow the "
                                                  "order with it and your order number.")
        self.add_guest_email(ask_email)


class ShippingMethodForm(CoreShippingMethodForm):
    """Oscar's form plus the showroom select of the pick-up choice: method_code "pickup" and a
    showroom become that showroom's method code (pickup-<id>)."""

    showroom = forms.TypedChoiceField(label=_("Showroom"), coerce=int, required=False, choices=(),
                                      error_messages={"invalid_choice": _("Choose a showroom from the list.")})

    def __init__(self, *args, **kwargs):
        methods = list(kwargs.get("methods", []))
        super().__init__(*args, **kwargs)
        pickups = [m for m in methods if getattr(m, "is_pickup", False)]
        choices = [(m.code, m.name) for m in methods]
        self.fields["method_code"].choices = [*choices, (PICKUP, _("Pick up"))] if pickups else choices
        self.fields["showroom"].choices = [("", _("– choose a showroom –")),
                                           *((m.showroom.pk, m.showroom.name) for m in pickups)]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method_code") == PICKUP:
            if not cleaned.get("showroom"):
                self.add_error("showroom", _("Choose the showroom where you will pick up your order."))
            else:
                cleaned["method_code"] = f"{PICKUP_PREFIX}{cleaned['showroom']}"
        return cleaned

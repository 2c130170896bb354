"""The payment-method form of the checkout (shop/checkout/payment_views.py)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from shop.payment import methods

__all__ = ["PaymentMethodForm"]


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How would you like to pay?"), widget=forms.RadioSelect, initial=methods.COD,
        error_messages={"invalid_choice": _("Please choose one of the payment methods offered."),
                        "required": _("Please choose a payment method.")})
    cod_inspection = forms.BooleanField(
        label=_("Let me inspect the parcel before paying (cho xem hàng)"), required=False, initial=True,
        help_text=_("Cash on delivery only: the courier lets you open the parcel and check the goods first."))

    shipping_method = forms.ChoiceField(
        label=_("How should we deliver it?"), widget=forms.RadioSelect, required=False,
        error_messages={"invalid_choice": _("Please choose one of the delivery methods offered.")})

    def __init__(self, *args, pickup: bool = False, shipping_methods=(), **kwargs):
        """shipping_methods: the delivery methods offered for the address of the first screen
        (screen 2 chooses shipping and payment together); none for a pick-up."""
        super().__init__(*args, **kwargs)
        if shipping_methods:
            self.fields["shipping_method"].choices = [(m.code, m.name) for m in shipping_methods]
        else:
            del self.fields["shipping_method"]
        codes = methods.available_methods(pickup=pickup)
        self.fields["method"].choices = [(code, methods.LABELS[code]) for code in codes]
        if pickup:
            self.fields["method"].initial = methods.COUNTER
            del self.fields["cod_inspection"]  # nobody brings a parcel to open: it is at the showroom

    def clean(self):
        data = super().clean()
        if data.get("method") != methods.COD or "cod_inspection" not in self.fields:
            data["cod_inspection"] = False  # only a COD parcel is paid at the door
        return data

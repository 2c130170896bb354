"""Oscar's order dashboard forms, plus the staff's payment actions (shop/dashboard/orders/views.py)."""
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders.forms import *  # noqa: F403  (every other form as Oscar has it)


class TransferReceivedForm(forms.Form):
    # Whole đồng; IntegerField also takes "185000.00" as typed from a statement.
    amount = forms.IntegerField(label=_("Amount received (₫)"), min_value=1, max_value=10**12)
    reference = forms.CharField(label=_("Bank reference"), max_length=128,
                                help_text=_("The transaction number on the bank statement."))

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()


class CodCollectedForm(forms.Form):
    amount = forms.IntegerField(label=_("Cash collected (₫)"), min_value=1, max_value=10**12)

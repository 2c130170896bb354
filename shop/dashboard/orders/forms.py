"""Oscar's order dashboard forms, plus the staff's payment actions (shop/dashboard/orders/views.py)."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders.forms import *  # noqa: F403  (every other form as Oscar has it)


class TransferReceivedForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount received (₫)"), min_value=Decimal(1), max_digits=12,
                                decimal_places=0)
    reference = forms.CharField(label=_("Bank reference"), max_length=128,
                                help_text=_("The transaction number on the bank statement."))

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()


class CodCollectedForm(forms.Form):
    amount = forms.DecimalField(label=_("Cash collected (₫)"), min_value=Decimal(1), max_digits=12,
                                decimal_places=0)

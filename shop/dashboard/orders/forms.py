"""Oscar's order dashboard forms, plus the staff's payment actions (shop/dashboard/orders/views.py)."""
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders import forms as oscar_forms
from oscar.apps.dashboard.orders.forms import *  # noqa: F403  (every other form as Oscar has it)
from oscar.core.loading import get_model

Order = get_model("order", "Order")


class OrderSearchForm(oscar_forms.OrderSearchForm):
    """Oscar's; the status choices read in the staff's language (statuses are stored in English,
    shop/order/statuses.py), the submitted value still the stored word."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "---------"), *((status, _(status)) for status in Order.all_statuses())]


class OrderStatusForm(oscar_forms.OrderStatusForm):
    """Oscar's; the new status offered in the staff's language (see OrderSearchForm)."""

    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        self.fields["new_status"].choices = [(status, _(status)) for status in order.available_statuses()]


class TransferReceivedForm(forms.Form):
    # Whole đồng; IntegerField also takes "185000.00" as typed from a statement.
    amount = forms.IntegerField(label=_("Amount received (₫)"), min_value=1, max_value=10**12)
    reference = forms.CharField(label=_("Bank reference"), max_length=128,
                                help_text=_("The transaction number on the bank statement."))

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()


class CodCollectedForm(forms.Form):
    amount = forms.IntegerField(label=_("Cash collected (₫)"), min_value=1, max_value=10**12)
    reference = forms.CharField(label=_("Receipt or waybill number"), max_length=120, required=False)


class DoorForm(forms.Form):
    """The office records what happened at the door for lines it ticks (shop/order/lifecycle.py)."""

    cod_amount = forms.IntegerField(label=_("Cash collected (₫)"), min_value=0, max_value=10**12, required=False)
    cod_reference = forms.CharField(label=_("Receipt or waybill number"), max_length=120, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ReturnDecisionForm(forms.Form):
    """Accept a return (and refund it) or refuse it."""

    refund_amount = forms.IntegerField(label=_("Refund (₫)"), min_value=0, max_value=10**12, required=False)
    refund_reference = forms.CharField(label=_("Refund reference"), max_length=120, required=False,
                                       help_text=_("The bank transfer or receipt of the money sent back (not needed "
                                                   "for a card: Stripe refunds it)."))
    note = forms.CharField(label=_("Answer to the shopper"), max_length=1000, required=False)

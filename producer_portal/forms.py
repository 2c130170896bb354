from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from core.money import WholeDongField
from shop.partner import stock

StockRecord = get_model("partner", "StockRecord")


class StockQuickForm(forms.ModelForm):
    """One row of the quick-edit list: stock, price in whole đồng, low-stock threshold."""

    price = WholeDongField(label=_("Price (đồng)"))

    class Meta:
        model = StockRecord
        fields = ["num_in_stock", "price", "low_stock_threshold"]
        widgets = {"num_in_stock": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
                   "low_stock_threshold": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor  # who the stock ledger names for a changed count
        self.fields["num_in_stock"].required = True
        self.fields["num_in_stock"].min_value = 0

    def save(self, commit=True):
        # The count goes through the stock ledger (locked, with its movement); the other columns are
        # saved alone: orders allocate on the same row meanwhile (F() updates under the checkout's
        # lock), and a whole-row save would write back the num_allocated read before the form was
        # validated, losing their allocations (seen reviewing `make loadtest`'s producers).
        # Raises stock.StockError when orders now hold more than the new count.
        record = super().save(commit=False)
        if commit:
            counted = self.cleaned_data["num_in_stock"]
            with transaction.atomic():
                stock.set_counted(stockrecord=record, counted=counted, actor=self.actor,
                                  reason=stock.Reason.PORTAL_EDIT)
                record.save(update_fields=[f for f in self._meta.fields if f not in StockRecord.STOCK_FIELDS])
        return record


class BaseStockQuickFormSet(BaseModelFormSet):
    def clean(self):
        super().clean()
        # A posted id outside the list (another producer's record, a stale page) names no row here:
        # refuse the whole post rather than silently skip it.
        if any(form.instance.pk is None for form in self.initial_forms):
            raise ValidationError(_("A row names a product that is not in your list: nothing was saved."))


# edit_only: a posted row can only change one of the records listed, never create one.
StockQuickFormSet = modelformset_factory(StockRecord, form=StockQuickForm, formset=BaseStockQuickFormSet, extra=0,
                                         can_delete=False, edit_only=True)


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=64,
                              widget=forms.TextInput(attrs={"placeholder": _("e.g. Viettel Post, VNPost, GHN")}))
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64, required=False)


class StockImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

"""Oscar's dashboard catalogue forms, with prices entered in whole đồng and stock counts written
through the stock ledger (shop/partner/stock.py)."""
from django.db import transaction
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.apps.dashboard.catalogue.forms import *  # noqa: F403  (every other form as Oscar has it)

from core.money import WholeDongField
from shop.partner import stock


class StockRecordForm(oscar_forms.StockRecordForm):
    price = WholeDongField(label=oscar_forms.StockRecord._meta.get_field("price").verbose_name, required=False)

    def __init__(self, product_class, user, *args, **kwargs):
        super().__init__(product_class, user, *args, **kwargs)
        if product_class.track_stock:
            self.fields["price"].required = True

    def save(self, commit=True):
        record = super().save(commit=False)
        if not commit:
            return record
        with transaction.atomic():
            if record.pk is None:  # a new record: its first movement names who made it
                record._stock_actor = self.user
                record.save()
                return record
            counted = self.cleaned_data.get("num_in_stock")
            if counted is not None:  # raises stock.StockError if orders now hold more
                stock.set_counted(stockrecord=record, counted=counted, actor=self.user,
                                  reason=stock.Reason.OFFICE_EDIT)
            record.save()  # the other columns: save() never writes the counts
        return record

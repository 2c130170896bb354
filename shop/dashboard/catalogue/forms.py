"""Oscar's dashboard catalogue forms, with prices entered in whole đồng."""
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.apps.dashboard.catalogue.forms import *  # noqa: F403  (every other form as Oscar has it)

from core.money import WholeDongField


class StockRecordForm(oscar_forms.StockRecordForm):
    price = WholeDongField(label=oscar_forms.StockRecord._meta.get_field("price").verbose_name, required=False)

    def __init__(self, product_class, user, *args, **kwargs):
        super().__init__(product_class, user, *args, **kwargs)
        if product_class.track_stock:
            self.fields["price"].required = True

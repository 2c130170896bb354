"""Money in Vietnamese đồng: whole numbers only (VND has no minor unit)."""
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


def whole_dong(amount) -> Decimal:
    """Round an amount to whole đồng, half up (as banks and receipts do)."""
    return Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)


class WholeDongField(forms.DecimalField):
    """A price input in whole đồng: shows 185000, not 185000.00, and refuses 185000.5."""

    default_error_messages = {"max_decimal_places": _("Enter a whole number of đồng (VND has no decimals).")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("step", "1")
        self.widget.attrs.setdefault("inputmode", "numeric")

    def prepare_value(self, value):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        return super().prepare_value(value)

    def to_python(self, value):
        value = super().to_python(value)
        return value if value is None else value.quantize(Decimal(1)) if value == value.to_integral_value() else value

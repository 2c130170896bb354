"""A stock page row posted back as the page showed it, and whose stored values pass every check a
changed row gets: Django's cleaning would answer "no error, nothing changed", so the row is not
cleaned again (issue 21: the page saves 50 rows, usually to change one; cleaning the 49 others was
about a third of a save).

What Django's path runs on a row of StockQuickForm, and why it has nothing to say about such a row:
- each form field's clean of the posted text: the text is the one the page wrote for the stored
  value (`widget.format_value(field.prepare_value(value))`, as stock_rows.UnboundInputs writes it),
  which cleans back to that value when the value is within the field's own checks (`required`,
  its Min/Max/Decimal validators; checked below, on the value);
- the model's clean_fields on the three fields of the form (the others are excluded): the same
  values within the model field's validators (the integer range of the column, the price's
  digits; checked below), then StockRecord.clean(): the count not below the *locked*
  num_allocated (checked below, on the row as locked and read);
- the model's constraints and unique checks left after the form's exclusions: none here (the check
  constraint reads num_allocated, excluded; unique_together names partner, excluded; the pk's is
  skipped for a saved row). `row_plan` works that out from the model once and, if a constraint or
  a unique check is ever added that the row's fields reach, the fast path is off;
- `changed_data`: every field's has_changed(stored, posted) is False when posted is what the
  page wrote for stored.

Anything else (a value outside those checks, a field or validator of another kind, a form with its
own clean method, a missing input, a row not of the list) goes Django's way, error for error.
tests/producer_portal/test_stock_unchanged_rows.py holds the two equal, row by row, on stored
values inside and outside every check."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator

PLAIN_VALUE = forms.Widget.value_from_datadict

# The fields of a stock row, and what a value needs to clean back to itself.
VALUE_FIELDS = ("num_in_stock", "price", "low_stock_threshold")
ROW_FIELDS = frozenset((*VALUE_FIELDS, "shown_in_stock", "id"))


class Limits:
    """What a field's validators (the form field's and the model field's) allow of a whole number:
    lowest, highest, how many digits; and whether it may be empty."""

    def __init__(self, lowest, highest, digits, required):
        self.lowest, self.highest, self.digits, self.required = lowest, highest, digits, required

    def allow(self, value) -> bool:
        if value is None:
            return not self.required
        if self.lowest is not None and value < self.lowest:
            return False
        if self.highest is not None and value > self.highest:
            return False
        return self.digits is None or abs(value) < 10 ** self.digits


def _limits(form_field, model_field) -> Limits | None:
    """Limits of these validators, or None when one of them is of a kind not read here."""
    lowest = highest = digits = None
    for validator in (*form_field.validators, *model_field.validators):
        kind, limit = type(validator), getattr(validator, "limit_value", None)
        if kind in (MinValueValidator, MaxValueValidator) and type(limit) in (int, Decimal):
            if kind is MinValueValidator:
                lowest = limit if lowest is None else max(lowest, limit)
            else:
                highest = limit if highest is None else min(highest, limit)
        elif kind is DecimalValidator and validator.max_digits is not None:
            whole = validator.max_digits - (validator.decimal_places or 0)
            digits = whole if digits is None else min(digits, whole)
        else:
            return None
    # a None the form accepts must pass the model too: blank (its validators are skipped) and null
    required = form_field.required or not (model_field.blank and model_field.null)
    return Limits(lowest, highest, digits, required)


class RowPlan:
    """What a form class's rows need for the fast path, worked out from the class once."""

    def __init__(self, form):
        from .forms import _evaluable_constraints, _exclusion_plan, _unique_checks

        form_class, instance = type(form), form.instance
        opts = instance._meta
        self.limits = {}
        self.on = (set(form.fields) == ROW_FIELDS
                   and form_class.clean is forms.ModelForm.clean
                   and not any(hasattr(form_class, f"clean_{name}") for name in ROW_FIELDS)
                   and type(form.fields["price"]).__name__ == "WholeDongField"
                   and all(type(form.fields[name]) is forms.IntegerField
                           for name in ("num_in_stock", "low_stock_threshold", "shown_in_stock")))
        if not self.on:
            return
        for name in VALUE_FIELDS:
            self.limits[name] = _limits(form.fields[name], opts.get_field(name))
        always = _exclusion_plan(form_class, opts, tuple(form.fields)).always
        unique, dates = _unique_checks(instance, frozenset(always))
        pk_only = all(fields == (opts.pk.name,) for _model, fields in unique)
        self.on = (all(self.limits.values()) and pk_only and not dates
                   and not _evaluable_constraints(instance, frozenset(always)))


_plans: dict = {}


def row_plan(form) -> RowPlan:
    key = (type(form), tuple(form.fields))
    if key not in _plans:
        _plans[key] = RowPlan(form)
    return _plans[key]


def stored_values_pass(plan: RowPlan, record) -> bool:
    """Would the checks of a changed row pass on these stored values? (The fields' and the model's
    validators, and StockRecord.clean's "not below what orders hold", on the row as locked.)"""
    count, price, threshold = record.num_in_stock, record.price, record.low_stock_threshold
    limits = plan.limits
    if type(count) is not int or not limits["num_in_stock"].allow(count):
        return False
    if (threshold is not None and type(threshold) is not int) or not limits["low_stock_threshold"].allow(threshold):
        return False
    if price is not None:
        if not isinstance(price, Decimal) or not price.is_finite() or price != price.to_integral_value():
            return False
        price = int(price)
    if not limits["price"].allow(price):
        return False
    allocated = record.num_allocated
    return not (allocated and count < allocated)  # StockRecord.clean()


def as_shown(field, value) -> str:
    """What the page wrote in the input for this value ('' for no value attribute), as a browser
    posts it back."""
    text = field.widget.format_value(field.prepare_value(value))
    return "" if text is None else text


def cleaned_as_stored(form) -> dict | None:
    """The cleaned data of a row posted as shown with stored values that pass every check (what
    Django's _clean_fields gives it), or None when the row must be cleaned Django's way."""
    record = form.instance
    if record.pk is None or form.empty_permitted or not form._lean:
        return None
    plan = row_plan(form)
    if not plan.on or not stored_values_pass(plan, record):
        return None
    data, initial, cleaned = form.data, form.initial, {}
    for name, field in form.fields.items():
        # what BoundField.data and BoundField.initial read (these widgets take the posted text as it is)
        value = initial.get(name, field.initial)
        if (field.disabled or callable(value) or type(field.widget).value_from_datadict is not PLAIN_VALUE
                or data.get(form.add_prefix(name)) != as_shown(field, value)):
            return None
        cleaned[name] = value
    if cleaned["id"] != record.pk or cleaned["shown_in_stock"] != record.num_in_stock:
        return None
    for name in VALUE_FIELDS:
        if cleaned[name] != getattr(record, name):
            return None
    cleaned["id"] = form.fields["id"].clean(as_shown(form.fields["id"], record.pk))  # RowOfThisList: the listed row
    if cleaned["id"] is not record:
        return None
    if record.price is not None:
        cleaned["price"] = Decimal(int(record.price))  # WholeDongField's: the whole number, no decimals
    return cleaned

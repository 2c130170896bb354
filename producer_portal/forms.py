from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router, transaction
from django.db.models import CheckConstraint, Max, Q
from django.forms import BaseFormSet, BaseModelFormSet, modelformset_factory
from django.forms.models import construct_instance
from django.forms.utils import ErrorDict
from django.utils.functional import cached_property
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog_ext.cache import SHOWN_FIELDS
from core.money import WholeDongField
from shop.partner import stock

from . import unchanged_rows

StockRecord = get_model("partner", "StockRecord")


class StockQuickForm(forms.ModelForm):
    """One row of the quick-edit list: stock, price in whole đồng, low-stock threshold."""

    price = WholeDongField(label=_("Price (đồng)"))
    # The count the page showed: a save whose count is still that one leaves the count alone, so a
    # price saved from a page read before a parcel left the shelf does not write the old count back
    # (found by make loadtest: each such save invented the units handed over meanwhile).
    shown_in_stock = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = StockRecord
        fields = ["num_in_stock", "price", "low_stock_threshold"]
        widgets = {"num_in_stock": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
                   "low_stock_threshold": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})}

    def __init__(self, *args, actor=None, locked=False, **kwargs):
        cls = type(self)
        if type(cls.__dict__.get("base_fields")) is not SharedFields:  # this class's own, once
            cls.base_fields = SharedFields(cls.base_fields)
            cls.base_fields["num_in_stock"].required = True
            cls.base_fields["num_in_stock"].min_value = 0
        super().__init__(*args, **kwargs)
        self.actor = actor  # who the stock ledger names for a changed count
        self.locked = locked  # the record was read under its row lock (the stock page's save)
        # the count the page showed, as this form's initial value (its fields are shared: never set on them)
        self.initial.setdefault("shown_in_stock", self.instance.num_in_stock if self.instance.pk else None)

    @cached_property
    def _as_stored(self):
        """This row's cleaned data when it was posted back as the page showed it and its stored values
        pass every check a changed row gets (unchanged_rows.py says why), else None."""
        return unchanged_rows.cleaned_as_stored(self) if self.is_bound else None

    def full_clean(self):
        """Django's, but a row posted as shown (`_as_stored`) is neither cleaned again nor checked
        against the model (49 of a save's 50 rows, usually): its cleaned data is its stored values,
        with no error."""
        cleaned = self._as_stored
        if cleaned is None:
            return super().full_clean()
        self._errors = ErrorDict(renderer=self.renderer)
        self.cleaned_data = dict(cleaned)
        self._validate_unique = True  # (as ModelForm.clean sets it)
        self.instance.price = cleaned["price"]  # as construct_instance puts it (the same number, whole)

    def _post_clean(self):
        """Django's ModelForm._post_clean (the posted values onto the record, then the record's own
        checks: its fields and StockRecord.clean(), which refuses a count below what orders hold,
        with the message a producer sees), with the record's constraints validated by
        `evaluable_constraints_valid`: Django's Model.validate_constraints builds and compiles a
        query for the stock record's check constraint on each of the page's 50 rows, then passes it
        unchecked (FieldError) because the constraint reads num_allocated, which is not a field of
        this form. That was a fifth of a save's form work (issue 21); the answer is the same."""
        exclude = self._get_validation_exclusions()
        # what the row holds as read (locked, on a save) of what pages show, before the posted
        # values go onto it: the catalogue's cache receiver then need not read it again (save())
        self._stored_shown = {f: getattr(self.instance, f) for f in SHOWN_FIELDS}
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as e:
            self._update_errors(e)
        errors = {}  # as Model.full_clean gathers them: constraints checked on the fields that passed
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        try:
            evaluable_constraints_valid(self.instance, frozenset(
                exclude | {name for name in errors if name != NON_FIELD_ERRORS}))
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            self._update_errors(ValidationError(errors))
        if self._validate_unique:
            self.validate_unique()

    # --- A row's cleaning without its BoundFields (issue 21) ------------------------------------
    # Saving the stock page cleans its 50 rows, and Django's form made five BoundField objects per
    # row to do it (twice: to clean each value, then to tell whether it changed), then looked again
    # at every model field for what to leave out of the model's checks (three times a row), at
    # every unique check and every constraint. The methods below are Django's own (5.2's
    # BaseForm._clean_fields and changed_data, BaseModelForm._get_validation_exclusions and
    # validate_unique), reading the same values from the same fields, in the same order, with the
    # same errors: without the BoundFields, and with what depends on the form class alone (not on
    # the row) worked out once. tests/producer_portal/test_stock_form_lean.py compares them with
    # Django's on every kind of row.

    @cached_property
    def _lean(self) -> bool:
        """Django's steps can be taken without BoundFields: no field cleans itself from its BoundField
        (FileField does) or compares against a hidden initial input."""
        return all(type(field)._clean_bound_field is forms.Field._clean_bound_field and not field.show_hidden_initial
                   for field in self.fields.values())

    def _clean_fields(self):
        if not self._lean:
            return super()._clean_fields()
        data, files, cleaned = self.data, self.files, self.cleaned_data
        for name, field in self.fields.items():
            try:
                # BoundField.data (or .initial for a disabled field), then Field._clean_bound_field
                value = (self.get_initial_for_field(field, name) if field.disabled
                         else field.widget.value_from_datadict(data, files, self.add_prefix(name)))
                cleaned[name] = field.clean(value)
                if hasattr(self, f"clean_{name}"):
                    cleaned[name] = getattr(self, f"clean_{name}")()
            except ValidationError as e:
                self.add_error(name, e)

    @cached_property
    def changed_data(self):
        if self._as_stored is not None:
            return []  # posted as shown: no field's has_changed(stored, posted) is True
        if not self._lean:
            return forms.ModelForm.changed_data.func(self)
        data, files = self.data, self.files
        return [name for name, field in self.fields.items()  # BoundField._has_changed, without a hidden initial
                if field.has_changed(self.get_initial_for_field(field, name),
                                     field.widget.value_from_datadict(data, files, self.add_prefix(name)))]

    def _get_validation_exclusions(self):
        plan = _exclusion_plan(type(self), self.instance._meta, tuple(self.fields))
        exclude = set(plan.always)
        for name, blank in plan.checked:  # in the order of the model's fields, as Django's loop
            if name in self._errors:
                exclude.add(name)
            elif not blank:
                form_field = self.fields[name]
                if not form_field.required and self.cleaned_data.get(name) in form_field.empty_values:
                    exclude.add(name)
        return exclude

    def validate_unique(self):
        """BaseModelForm.validate_unique → Model.validate_unique, with the model's unique checks for
        these exclusions (a function of the model class alone) listed once."""
        instance = self.instance
        unique_checks, date_checks = _unique_checks(instance, frozenset(self._get_validation_exclusions()))
        errors = instance._perform_unique_checks(unique_checks)
        date_errors = instance._perform_date_checks(date_checks)
        for k, v in date_errors.items():
            errors.setdefault(k, []).extend(v)
        if errors:
            self._update_errors(ValidationError(errors))

    def save(self, commit=True):
        # The count goes through the stock ledger (locked, with its movement); the other columns are
        # saved alone: orders allocate on the same row meanwhile (F() updates under the checkout's
        # lock), and a whole-row save would write back the num_allocated read before the form was
        # validated, losing their allocations (seen reviewing `make loadtest`'s producers).
        # Raises stock.StockError when orders now hold more than the new count.
        record = super().save(commit=False)
        if commit:
            counted, shown = self.cleaned_data["num_in_stock"], self.cleaned_data.get("shown_in_stock")
            with transaction.atomic():
                if shown is not None and counted == shown:
                    record.num_in_stock = self.initial.get("num_in_stock")  # as stored: not this save's to change
                else:
                    stock.set_counted(stockrecord=record, counted=counted, actor=self.actor,
                                      reason=stock.Reason.PORTAL_EDIT)
                    # the ledger's own save ran the alert receivers: what the page's read said of the
                    # alerts (stock_page_records) may be past now, and is not passed on
                    for name in ("has_open_stock_alert", "has_active_product_alert"):
                        record.__dict__.pop(name, None)
                if self.locked and getattr(self, "_stored_shown", None) is not None:
                    record.__dict__["_ocop_stored_shown"] = self._stored_shown
                record.save(update_fields=[f for f in self._meta.fields if f not in StockRecord.STOCK_FIELDS])
        return record


class SharedFields(dict):
    """A form class's fields, given to each of its forms as they are rather than deep-copied (Django's
    BaseForm copies every field and widget for each form, so that a form may change its own: the
    stock page saves 50 rows, and those copies were a quarter of its forms' work, issue 21). Each
    form still gets its own dict (a formset adds the row's id field to it); StockQuickForm never
    changes a field after its class is made: what differs by row (the count shown) is the form's
    `initial`, which BoundField reads before the field's own."""

    def __deepcopy__(self, memo):
        return dict(self)


class _ExclusionPlan:
    """What BaseModelForm._get_validation_exclusions decides from the form class and its fields'
    names alone: `always` (a model field not on the form, or not in Meta.fields, or in Meta.exclude)
    and, for the others, the model field's `blank` (the rest depends on the row: its errors, its
    cleaned values)."""

    def __init__(self, form_class, opts, names):
        meta, self.always, self.checked = form_class._meta, set(), []
        for f in opts.fields:
            if (f.name not in names or (meta.fields and f.name not in meta.fields)
                    or (meta.exclude and f.name in meta.exclude)):
                self.always.add(f.name)
            else:
                self.checked.append((f.name, f.blank))
        self.always = frozenset(self.always)


_plans: dict = {}


def _exclusion_plan(form_class, opts, names) -> _ExclusionPlan:
    key = (form_class, opts.label, names)
    if key not in _plans:
        _plans[key] = _ExclusionPlan(form_class, opts, names)
    return _plans[key]


_unique: dict = {}


def _unique_checks(instance, exclude: frozenset):
    """instance._get_unique_checks(exclude), which reads only the model's options."""
    key = (type(instance), exclude)
    if key not in _unique:
        _unique[key] = instance._get_unique_checks(exclude=exclude)
    return _unique[key]


def evaluable_constraints_valid(instance, exclude):
    """Model.validate_constraints(exclude), less the check constraints that read a field in
    `exclude`: Django leaves those out of the values it checks against, so its Q.check raises
    FieldError and CheckConstraint.validate passes them, after resolving and compiling a query (the
    same answer, without the query). Every other constraint is validated by Django, and the errors
    gathered as Django gathers them."""
    errors, using = {}, router.db_for_write(type(instance), instance=instance)
    for model_class, constraint in _evaluable_constraints(instance, frozenset(exclude)):
        try:
            constraint.validate(model_class, instance, exclude=exclude, using=using)
        except ValidationError as e:
            if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                errors.setdefault(constraint.fields[0], []).append(e)
            else:
                errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


_constraints: dict = {}


def _evaluable_constraints(instance, exclude: frozenset) -> list:
    """(model class, constraint) as instance.get_constraints() lists them, less the check constraints
    that read a field in `exclude`: a function of the model class and `exclude` alone, listed once."""
    key = (type(instance), exclude)
    if key not in _constraints:
        _constraints[key] = [
            (owner, constraint) for owner, constraints in instance.get_constraints()
            for constraint in constraints
            if not (isinstance(constraint, CheckConstraint) and Q(constraint.condition).referenced_base_fields & exclude)]
    return _constraints[key]


class RowOfThisList(forms.Field):
    """A row's hidden id, answered from the rows the formset already read (its own queryset, one
    query for the page) instead of one query per row: Django's model formset checks each posted id
    against the whole table (54 reads to save 50 rows, issue 21). An id that is not one of the
    listed rows is None here, and the formset's clean() refuses the post, as before. A plain field,
    not a ModelChoiceField: that one copies a queryset for each of the page's 50 rows."""

    widget = forms.HiddenInput

    def __init__(self, formset, **kwargs):
        super().__init__(**kwargs)
        self.formset = formset

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            pk = StockRecord._meta.pk.to_python(value)
        except ValidationError:
            return None
        return self.formset._existing_object(pk)

    def prepare_value(self, value):
        return value.pk if isinstance(value, StockRecord) else value

    def has_changed(self, initial, data):
        # ModelChoiceField's rule: the row is the same when the posted id is the shown one.
        return str(self.prepare_value("" if initial is None else initial)) != str("" if data is None else data)


class BaseStockQuickFormSet(BaseModelFormSet):
    def add_fields(self, form, index):
        """The row's hidden id, as Django's model formset adds it (the row's pk, or the posted
        row's), as a RowOfThisList."""
        self._pk_field = pk = self.model._meta.pk
        if form.is_bound:
            pk_value = None if form.instance._state.adding else form.instance.pk
        else:
            rows = self.get_queryset()
            pk_value = rows[index].pk if index is not None and index < len(rows) else None
        form.fields[pk.name] = RowOfThisList(self, initial=pk_value, required=False)
        BaseFormSet.add_fields(self, form, index)  # ordering and deleting, as the model formset's parent does

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


class DoorForm(forms.Form):
    """At the door: what the shopper paid in cash (COD), or why the parcel came back."""

    cod_amount = WholeDongField(label=_("Cash collected (₫)"), required=False, max_value=10**12)
    cod_reference = forms.CharField(label=_("Receipt or waybill number"), max_length=120, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False,
                             help_text=_("Why the parcel was refused or came back, or why units are damaged."))


class ProductTextForm(forms.ModelForm):
    """What a producer may change of their product's page: its description (rich text, cleaned on
    save by shop/rich_text.py). Typed plain text (no tags) becomes paragraphs, as a producer on a phone
    types it; text that is already markup is kept as it is."""

    class Meta:
        model = get_model("catalogue", "Product")
        fields = ["description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 10})}
        labels = {"description": _("Description")}
        help_texts = {"description": _("What it is, how it is made, how to use it. An empty line starts a new paragraph.")}

    def clean_description(self):
        text = self.cleaned_data.get("description") or ""
        if text and "<" not in text:
            text = linebreaks(text.strip())
        return text


ProductImage = get_model("catalogue", "ProductImage")


class ProductPhotoForm(forms.ModelForm):
    class Meta:
        model = ProductImage
        fields = ["original", "caption"]
        labels = {"original": _("Photo"), "caption": _("Caption")}
        widgets = {"original": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}


class BaseProductPhotoFormSet(forms.BaseInlineFormSet):
    def save_new(self, form, commit=True):
        # A new photo goes after the product's others (display_order 0 is the card's photo).
        last = self.instance.images.aggregate(last=Max("display_order"))["last"]
        form.instance.display_order = 0 if last is None else last + 1
        return super().save_new(form, commit=commit)


ProductPhotoFormSet = forms.inlineformset_factory(
    get_model("catalogue", "Product"), ProductImage, form=ProductPhotoForm, formset=BaseProductPhotoFormSet,
    extra=1, max_num=8, validate_max=True, can_delete=True)

"""`oscar/partials/form_field.html` writes its widgets with `{% plain_field %}`
(shop/checkout/templatetags/plain_fields.py) instead of widget_tweaks' `{% render_field %}` through
Django's widget templates (issue 21: the checkout address screen's two selects were 38 % of its
Python calls). The shop's template must write the very bytes Oscar's own did, for every kind of
field, bound or not, valid or not."""
from datetime import date
from decimal import Decimal
from pathlib import Path

import oscar
import pytest
from django import forms
from django.template import engines
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from shop.checkout.forms import ShippingAddressForm
from shop.checkout.templatetags import plain_fields

OSCARS_FORM_FIELD = Path(oscar.__file__).parent / "templates" / "oscar" / "partials" / "form_field.html"


def oscars(context: dict) -> str:
    return engines["django"].from_string(OSCARS_FORM_FIELD.read_text()).render(context)


def ours(context: dict) -> str:
    return get_template("oscar/partials/form_field.html").render(context)


def assert_same_bytes(form, **context):
    for field in form:
        for style in ("horizontal", "stacked"):
            given = {"field": field, "style": style, **context}
            assert ours(given) == oscars(given), (field.name, style)


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=20, help_text="Help with <b>HTML</b>")
    classed = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "wide", "data-x": 'a"b<c>'}))
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
    number = forms.IntegerField(min_value=1, max_value=10**6)
    money = forms.DecimalField(localize=True, required=False)
    email = forms.EmailField(required=False, disabled=True)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    day = forms.DateField(required=False)
    agree = forms.BooleanField(required=False)
    must_agree = forms.BooleanField()
    notes = forms.CharField(widget=forms.Textarea, required=False)
    pick = forms.TypedChoiceField(coerce=int, choices=[("", "– choose –"), (1, "Một <1>"), (2, mark_safe("<b>Hai</b>"))])
    grouped = forms.ChoiceField(choices=[("Miền Bắc", [("hn", "Hà Nội"), ("sl", "Sơn La")]), ("x", "Khác")],
                                required=False)
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B&B"), ("c", "C")], required=False)
    numbered = forms.ChoiceField(choices=[(1, 1000), (2, 2000)], required=False)  # a label Django localises
    maybe = forms.NullBooleanField(required=False)
    radios = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, required=False)
    upload = forms.FileField(required=False)
    initial_kept = forms.CharField(required=False, show_hidden_initial=True, initial="was")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


WITH_VALUES = {
    "text": 'Tô Hiệu "12" <b>&', "classed": "x", "phone": "0912 345 678", "number": "7", "money": "1234.5",
    "email": "a@b.vn", "secret": "<pw>", "day": "2026-12-06", "agree": "on", "must_agree": "on", "notes": "line <1>\nline 2",
    "pick": "2", "grouped": "sl", "many": ["a", "c"], "numbered": "2", "maybe": "true", "radios": "b",
    "initial_kept": "now", "hidden": "h<i>",
}


def test_every_kind_of_widget_is_written_as_django_writes_it():
    assert_same_bytes(EveryWidget())
    assert_same_bytes(EveryWidget(initial={"text": mark_safe("<i>safe</i>"), "day": date(2026, 1, 2),
                                           "money": Decimal("1234.50"), "agree": True, "many": ["b"]}))
    bound = EveryWidget(data=WITH_VALUES)
    assert bound.is_valid(), bound.errors
    assert_same_bytes(bound)
    refused = EveryWidget(data={"number": "0", "pick": "9", "text": "x" * 30, "notes": "n"})
    assert not refused.is_valid()
    assert_same_bytes(refused)
    assert_same_bytes(EveryWidget(auto_id=False, prefix="p"))
    assert_same_bytes(EveryWidget(), nolabel=True)


def test_widget_tweaks_context_classes_are_still_applied():
    refused = EveryWidget(data={"number": "0"})
    refused.is_valid()
    assert_same_bytes(refused, WIDGET_ERROR_CLASS="is-invalid", WIDGET_REQUIRED_CLASS="req")


def test_the_inputs_selects_and_text_areas_are_written_without_a_template():
    """What is written out by hand (not handed back to Django): the plain inputs, selects, text areas."""
    field = EveryWidget()["text"]
    written = {name: plain_fields._kind(EveryWidget()[name].field.widget, field.form.renderer)
               for name in ("text", "phone", "number", "secret", "day", "agree", "hidden", "notes", "pick",
                            "many", "maybe", "radios", "upload")}
    assert written == {"text": "input", "phone": "input", "number": "input", "secret": "input", "day": "input",
                       "agree": "input", "hidden": "input", "notes": "textarea", "pick": "select",
                       "many": "select", "maybe": "select", "radios": None, "upload": None}


@pytest.mark.django_db
def test_the_checkout_address_form_is_written_as_before():
    """The form of the checkout's first screen: two selects (~110 options), the guest's e-mail."""
    assert_same_bytes(ShippingAddressForm(ask_email=True))
    refused = ShippingAddressForm(data={"full_name": "", "phone_number": "12", "province": "999", "ward": "x",
                                        "line1": "<b>12</b>", "notes": "gọi trước <3"}, ask_email=True)
    assert not refused.is_valid()
    assert_same_bytes(refused)


@pytest.mark.django_db
def test_the_address_screen_renders_no_widget_template():
    """Fails on the old form_field.html: each select was a template, each of its ~110 options two more."""
    from django.test.signals import template_rendered

    rendered = []

    def seen(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        for field in ShippingAddressForm(ask_email=True):
            ours({"field": field, "style": "horizontal"})
    finally:
        template_rendered.disconnect(seen)
    assert "oscar/partials/form_field.html" in rendered
    assert [name for name in rendered if name and name.startswith("django/forms/")] == []

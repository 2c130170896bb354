"""`{% plain_input form.field %}`: a form field's <input>, the same markup as Django's widget
template gives it, written without rendering that template. The stock page shows 50 rows of five
inputs; through the widget templates (a template render each) those 250 inputs were most of the
page's time. Widgets that are not plain <input>s (selects, text areas, file inputs) still go
through Django's own rendering. tests/producer_portal/test_plain_inputs.py holds the two equal."""
from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html

register = template.Library()
PLAIN = (forms.NumberInput, forms.TextInput, forms.HiddenInput, forms.EmailInput, forms.URLInput)


@register.simple_tag
def plain_input(field):
    widget = field.field.widget
    if type(widget) not in PLAIN or getattr(widget, "is_localized", False):
        return field.as_widget()
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = context["value"]
    attributes = {key: given for key, given in context["attrs"].items() if given is not False}
    if value is None:
        return format_html('<input type="{}" name="{}"{}>', context["type"], context["name"], flatatt(attributes))
    return format_html('<input type="{}" name="{}" value="{}"{}>', context["type"], context["name"], value,
                       flatatt(attributes))

"""`{% plain_input form.field %}`: a form field's <input>, the same markup as Django's widget
template gives it, written without rendering that template. The stock page shows 50 rows of five
inputs; through the widget templates (a template render each) those 250 inputs were most of the
page's time. Widgets that are not plain <input>s (selects, text areas, file inputs) still go
through Django's own rendering. tests/producer_portal/test_plain_inputs.py holds the two equal."""
from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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
    html = f'<input type="{conditional_escape(context["type"])}" name="{conditional_escape(context["name"])}"'
    if value is not None:
        html += f' value="{conditional_escape(value)}"'
    return mark_safe(html + attributes(context["attrs"]) + ">")


def attributes(attrs: dict) -> str:
    """Django's flatatt(), written out: the same ` name="value"` pairs sorted by name, then the
    attributes that are only present (True), each escaped as format_html escapes it. flatatt
    builds each pair through format_html and format_html_join: three quarters of this tag's time
    on the stock page's 250 inputs (tests/producer_portal/test_plain_inputs.py holds the two equal)."""
    pairs = sorted((name, given) for name, given in attrs.items() if not isinstance(given, bool) and given is not None)
    present = sorted(name for name, given in attrs.items() if given is True)
    return ("".join(f' {conditional_escape(name)}="{conditional_escape(given)}"' for name, given in pairs)
            + "".join(f" {conditional_escape(name)}" for name in present))

"""`{% plain_input form.field %}`: a form field's <input>, the same markup as Django's widget
template gives it, written without rendering that template (a template render per input, and one
more for its attributes). The producer's stock page shows 50 rows of five inputs, the basket three
per line and its management form four: through the widget templates those inputs were most of the
pages' time (issue 21). Widgets that are not plain <input>s (selects, text areas, file inputs) and
localized ones still go through Django's own rendering.

    {% plain_input form.quantity add_class="form-control" aria_label=label %}

writes what widget_tweaks' `{% render_field form.quantity class+="form-control" aria-label=label %}`
writes: `add_class` is appended to the widget's class, any other keyword is an attribute (`_` → `-`).
`{% plain_hidden_form formset.management_form %}` writes a form of hidden fields (a formset's
management form) as Django does, its inputs through `plain_input`.

tests/producer_portal/test_plain_inputs.py and tests/speed/test_plain_inputs_basket.py hold them
equal to Django's output, errors included."""
import html

from django import forms, template
from django.utils.functional import Promise
from django.utils.safestring import mark_safe

register = template.Library()
PLAIN = (forms.NumberInput, forms.TextInput, forms.HiddenInput, forms.EmailInput, forms.URLInput, forms.CheckboxInput)


@register.simple_tag
def plain_input(field, add_class="", **attributes_given):
    widget = field.field.widget
    extra = {name.replace("_", "-"): value for name, value in attributes_given.items()}
    if add_class:  # widget_tweaks' append: after the class given here or the widget's own
        extra["class"] = _append(extra.get("class") or widget.attrs.get("class"), add_class)
    if type(widget) not in PLAIN or getattr(widget, "is_localized", False):
        return field.as_widget(attrs=extra or None)
    if field.field.show_hidden_initial:  # as str(field) writes it: the input, then its initial value
        return field.as_widget(attrs=extra or None) + field.as_hidden(only_initial=True)
    attrs = field.build_widget_attrs(extra, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = context["value"]
    html_text = f'<input type="{escaped(context["type"])}" name="{escaped(context["name"])}"'
    if value is not None:
        html_text += f' value="{escaped(value)}"'
    return mark_safe(html_text + attributes(context["attrs"]) + ">")


@register.simple_tag
def plain_hidden_form(form):
    """A form of hidden fields only, as `{{ form }}` writes it when it has no errors: its inputs one
    after the other. With errors (a tampered management form), Django's own rendering."""
    if form.errors or any(not field.is_hidden for field in form):
        return form.render()
    return mark_safe("".join(plain_input(field) for field in form))


def _append(given, more):
    return f"{given} {more}" if given else more


def attributes(attrs: dict) -> str:
    """Django's flatatt(), written out: the same ` name="value"` pairs sorted by name, then the
    attributes that are only present (True), each escaped as format_html escapes it. flatatt
    builds each pair through format_html and format_html_join: three quarters of this tag's time
    on the stock page's 250 inputs (tests/producer_portal/test_plain_inputs.py holds the two equal)."""
    pairs = sorted((name, given) for name, given in attrs.items() if not isinstance(given, bool) and given is not None)
    present = sorted(name for name, given in attrs.items() if given is True)
    return ("".join(f' {escaped(name)}="{escaped(given)}"' for name, given in pairs)
            + "".join(f" {escaped(name)}" for name in present))


def escaped(value) -> str:
    """django.utils.html.conditional_escape(value), without its lazy-text wrapper per call (it was a
    fifth of the stock page's function calls): safe text as it is, anything else through
    html.escape, as Django's escape() does; a whole number needs none."""
    if type(value) is int:
        return str(value)
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))

"""`{% plain_field field add_class="form-control" %}`: a form field's widget, byte for byte what
Django's widget templates write (and widget_tweaks' `{% render_field field class+="form-control" %}`
before them), written from the widget's own context without rendering a template.

Oscar's `oscar/partials/form_field.html` renders every visible field of the shop's forms (checkout,
address book, sign-in, reviews …) through widget_tweaks, that is through Django's widget templates:
a select is one template for the select, then an include and an attributes include per option. The
checkout's address screen has two selects (provinces, wards: ~110 options): 38,000 of the page's
99,000 Python calls were those templates (issue 21). Here the widget still builds its context
(`BoundField.build_widget_attrs`, `Widget.get_context`, the options of a select: the same code
as Django), only the final template is written out in Python, following the template's text.

Handled: Django's own input templates (text, number, email, tel, hidden, checkbox …), select and
select-multiple with their option template, and textarea, each only while the template Django
would find is Django's own file (a project override of a widget template is used as before).
Anything else (radio lists, file inputs, Oscar's date pickers, a custom form renderer, a label that
is not text) goes through Django's rendering. tests/checkout/test_plain_fields.py compares the two
byte for byte, over the shop's forms, bound, unbound and with errors."""
from __future__ import annotations

import html
from functools import cache
from pathlib import Path

import django.forms
from django import template
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

DJANGO_WIDGETS = Path(django.forms.__file__).parent / "templates" / "django" / "forms" / "widgets"
INPUT, SELECT, TEXTAREA = "input", "select", "textarea"
SELECT_OPTION = "django/forms/widgets/select_option.html"


@register.simple_tag(takes_context=True)
def plain_field(context, field, add_class=""):
    """widget_tweaks' `{% render_field field class+=add_class %}` (`{% render_field field %}` without add_class)."""
    widget = field.field.widget
    extra = {}
    if add_class:  # widget_tweaks' append_attr("class:…") on an empty attrs dict
        extra["class"] = f"{widget.attrs['class']} {add_class}" if widget.attrs.get("class") else add_class
    kind = _kind(widget, field.form.renderer)
    if (kind is None or field.field.show_hidden_initial
            or "WIDGET_ERROR_CLASS" in context or "WIDGET_REQUIRED_CLASS" in context):
        return _as_django_writes_it(context, field, add_class)
    # BoundField.as_widget up to the template
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(extra, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    written = WRITERS[kind](widget.get_context(field.html_name, field.value(), attrs)["widget"])
    if written is None:  # something the template would localise (a label that is a number …)
        return _as_django_writes_it(context, field, add_class)
    return mark_safe(written)


def _as_django_writes_it(context, field, add_class):
    """What `{% render_field field class+=add_class %}` writes (widget_tweaks, its context classes included)."""
    from widget_tweaks.templatetags.widget_tweaks import append_attr

    if getattr(field, "errors", None) and "WIDGET_ERROR_CLASS" in context:
        field = append_attr(field, f"class:{context['WIDGET_ERROR_CLASS']}")
    if field.field.required and "WIDGET_REQUIRED_CLASS" in context:
        field = append_attr(field, f"class:{context['WIDGET_REQUIRED_CLASS']}")
    if add_class:
        field = append_attr(field, f"class:{add_class}")
    return str(field)


def _kind(widget, renderer) -> str | None:
    if type(renderer) is not TemplatesSetting:
        return None
    name = widget.template_name
    if name == "django/forms/widgets/select.html":
        return SELECT if getattr(widget, "option_template_name", None) == SELECT_OPTION and _djangos(SELECT_OPTION) \
            and _djangos(name) else None
    return _template_kind(name)


@cache
def _template_kind(name: str) -> str | None:
    """input / textarea for Django's own templates of that shape, else None (asked once per name)."""
    if not name.startswith("django/forms/widgets/") or not _djangos(name):
        return None
    text = (DJANGO_WIDGETS / name.rsplit("/", 1)[1]).read_text()
    if text == '{% include "django/forms/widgets/input.html" %}\n' and _djangos("django/forms/widgets/input.html"):
        return INPUT
    if name == "django/forms/widgets/textarea.html":
        return TEXTAREA
    return None


@cache
def _djangos(name: str) -> bool:
    """Is the template the form renderer finds under `name` Django's own file, not an override?
    (and is that file's text the one these writers follow: checked by the tests)."""
    from django.template import engines

    try:
        origin = engines["django"].get_template(name).origin.name
    except Exception:  # noqa: BLE001 - no such template: let Django answer
        return False
    return Path(origin).resolve() == (DJANGO_WIDGETS / name.rsplit("/", 1)[1]).resolve() \
        and _attrs_template_is_djangos()


@cache
def _attrs_template_is_djangos() -> bool:
    from django.template import engines

    origin = engines["django"].get_template("django/forms/widgets/attrs.html").origin.name
    return Path(origin).resolve() == (DJANGO_WIDGETS / "attrs.html").resolve()


# ---------------------------------------------------------------- the templates, written out
def _input(w: dict) -> str:
    # input.html, included by text.html & co; the renderer strips what follows (BaseRenderer.render)
    value = w["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return f'<input type="{_escaped(w["type"])}" name="{_escaped(w["name"])}"{shown}{_attrs(w["attrs"])}>'


def _textarea(w: dict) -> str:
    value = w["value"]
    if value and not isinstance(value, str | Promise):
        return None
    return f'<textarea name="{_escaped(w["name"])}"{_attrs(w["attrs"])}>\n{_escaped(value) if value else ""}</textarea>'


def _select(w: dict) -> str | None:
    parts = [f'<select name="{_escaped(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, group_choices, _index in w["optgroups"]:
        if group_name:
            if not isinstance(group_name, str | Promise):
                return None
            parts.append(f'\n  <optgroup label="{_escaped(group_name)}">')
        for option in group_choices:
            label = option["label"]
            if not isinstance(label, str | Promise):
                return None
            parts.append(f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                          f'{_escaped(label)}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


WRITERS = {INPUT: _input, SELECT: _select, TEXTAREA: _textarea}


def _attrs(attrs: dict) -> str:
    """attrs.html: in the dict's order, False left out, True as a bare name."""
    return "".join("" if value is False else f" {_escaped(name)}" if value is True
                   else f' {_escaped(name)}="{_formatted(value)}"' for name, value in attrs.items())


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}` under autoescape: "%s" of the value, kept as it is when the value
    was safe text (stringformat is an is_safe filter), else escaped."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - stringformat's own operation (str.format differs on odd values)
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else html.escape(text)


def _escaped(value) -> str:
    """`{{ value }}` for text under autoescape (conditional_escape)."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))

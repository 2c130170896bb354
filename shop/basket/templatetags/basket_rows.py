"""`{% basket_line_rows formset %}`: the basket page's lines (templates/oscar/basket/partials/basket_content.html),
each written in Python: the text the template's loop wrote, byte for byte (whitespace included).

The loop was ~40 template nodes a line (two `get_absolute_url`, the thumbnail tag, the purchase
info tag, four inputs, two prices, the badges, the `with`/`if` scopes): ~2,000 Python calls a line,
a fifth of the basket page of 10 lines (issue 21). The values are the template's (the same calls:
Oscar's thumbnailer with the tag's options and its error handling, `request.strategy.fetch_for_line`
as `{% purchase_info_for_line %}`, the shop's `currency` filter, `{% plain_input %}`, `{% line_badges %}`),
each escaped as `{{ }}` escapes it. tests/basket/test_basket_line_rows.py renders the old loop beside
it (Vietnamese and English, signed in or not, errors, HTML in titles)."""
import logging

from django import forms, template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from oscar.core.thumbnails import get_thumbnailer

from shop.order.templatetags.ocop_line_badges import line_badges
from shop.templatetags.ocop_currency import currency
from shop.templatetags.plain_inputs import attributes, escaped, plain_input

register = template.Library()
logger = logging.getLogger("oscar.thumbnail")  # where {% oscar_thumbnail %} logs a failed thumbnail
E = conditional_escape


def thumbnail_url(product) -> str:
    """`{% with image=product.primary_image %}{% oscar_thumbnail image.original "100x100" upscale=False as thumb %}`
    then `{{ thumb.url }}`: a failed thumbnail is logged (raised under OSCAR_THUMBNAIL_DEBUG) and draws nothing."""
    image = product.primary_image()
    source = image.get("original", "") if isinstance(image, dict) else image.original
    try:
        thumb = get_thumbnailer().generate_thumbnail(source, size="100x100", upscale=False)
    except Exception as exc:
        if getattr(settings, "OSCAR_THUMBNAIL_DEBUG", settings.DEBUG):
            raise
        logger.exception(exc)
        return ""
    return E(thumb.url)


def _price(line, amount_incl, amount_excl, label) -> str:
    """The price column's `{% if not … %}&mdash;{% else %}<p>…</p>{% endif %}` (the other half of
    Oscar's condition names a value that does not exist: always empty)."""
    if not amount_incl:
        return ('\n                                    <p class="text-right">&mdash;</p>\n'
                '                                ')
    amount = amount_incl if line.is_tax_known else amount_excl
    return ('\n                                    <p class="price_color text-right">\n'
            f'                                        <span class="price-title d-md-none">{label}:</span>\n'
            '                                        \n'
            f'                                            {E(currency(amount, line.price_currency))}\n'
            '                                        \n'
            '                                    </p>\n'
            '                                ')


def _errors(form) -> str:
    text = ""
    for field_errors in form.errors.values():
        text += "\n                                            "
        for error in field_errors:
            text += ('\n                                                <span class="error-block">'
                     f'<i class="fas fa-exclamation"></i> {E(error)}</span>\n'
                     '                                            ')
        text += "\n\n                                        "
    return text


_UNBOUND_PLAIN = {"id": forms.HiddenInput, "quantity": forms.NumberInput, "save_for_later": forms.CheckboxInput,
                  "DELETE": forms.CheckboxInput}


def _inputs(form, quantity_label) -> tuple:
    """The line's four inputs: `{% plain_input %}`'s text. An unbound form (the page as opened) whose
    fields are the plain, enabled ones (optional, or hidden: the line's id) Oscar's BasketLineForm and the formset give is
    written here from the form's initial values, without four BoundFields and widget contexts
    (~40 % of the line's work); anything else goes through plain_input."""
    fields = form.fields
    if (form.is_bound or form.auto_id != "id_%s" or set(fields) != set(_UNBOUND_PLAIN)
            or any(type(fields[name].widget) is not kind or fields[name].disabled
                   or (fields[name].required and not fields[name].widget.is_hidden)  # a hidden input is never `required`
                   or fields[name].help_text
                   or fields[name].show_hidden_initial or getattr(fields[name].widget, "is_localized", False)
                   for name, kind in _UNBOUND_PLAIN.items())):
        return (plain_input(form["id"]), plain_input(form["quantity"], add_class="form-control", aria_label=quantity_label),
                plain_input(form["save_for_later"]), plain_input(form["DELETE"]))
    written = []
    for name, extra in (("id", {}), ("quantity", {"aria-label": quantity_label}), ("save_for_later", {}), ("DELETE", {})):
        field, html_name = fields[name], form.add_prefix(name)
        widget = field.widget
        if name == "quantity":  # widget_tweaks' class append, as plain_input does it
            given = widget.attrs.get("class")
            extra["class"] = f"{given} form-control" if given else "form-control"
        attrs = {**widget.attrs, **extra}
        attrs.setdefault("id", f"id_{html_name}")
        value = field.prepare_value(form.get_initial_for_field(field, name))
        if kind_is_checkbox := isinstance(widget, forms.CheckboxInput):
            if widget.check_test(value):
                attrs["checked"] = True
        text = f'<input type="{widget.input_type}" name="{escaped(html_name)}"'
        shown = widget.format_value(value)
        if shown is not None and not (kind_is_checkbox and shown == ""):
            text += f' value="{escaped(shown)}"'
        written.append(mark_safe(text + attributes(attrs) + ">"))
    return tuple(written)


@register.simple_tag(takes_context=True)
def basket_line_rows(context, formset):
    request, user = context["request"], context.get("user")
    labels = {key: E(gettext(text)) for key, text in (
        ("quantity", "Quantity"), ("updating", "Updating..."), ("update", "Update"), ("remove", "Remove"),
        ("save", "Save for later"), ("price", "Price"), ("total", "Total"))}
    signed_in = user is not None and user.is_authenticated
    rows = []
    for index, form in enumerate(formset):
        line = form.instance
        product = line.product
        session = request.strategy.fetch_for_line(line)
        id_input, quantity_input, save_input, delete_input = _inputs(form, labels["quantity"])
        url = E(product.get_absolute_url())
        counter0 = E(localize(index))  # {{ forloop.counter0 }}
        save_link = ('\n                                            | <a href="#" data-id="'
                     f'{counter0}" data-behaviours="save">{labels["save"]}</a>\n                                        '
                     if signed_in else "")
        rows.append(
            "\n                \n                    \n"
            '                    <div class="basket-items">\n'
            '                        <div class="row">\n'
            '                            <div class="col-md-2">\n'
            f"                                {id_input}\n"
            "                                \n"
            "                                    \n"
            f'                                    <a href="{url}">\n'
            f'                                        <img class="img-thumbnail w-auto mx-auto my-0" src="{thumbnail_url(product)}" alt="{E(product.get_title())}"/>\n'
            "                                    </a>\n"
            "                                \n"
            "                            </div>\n"
            '                            <div class="col-md-4">\n'
            f'                                <h3><a href="{url}">{E(line.description)}</a></h3>\n'
            f"                                {E(line_badges(product))}\n"
            f'                                <p class="availability {E(session.availability.code)}">{E(session.availability.message)}</p>\n'
            "                            </div>\n"
            '                            <div class="col-md-3">\n'
            '                                <div class="checkout-quantity">\n'
            f'                                    <div class="input-group {"error" if form.errors else ""}">\n'
            f"                                        {quantity_input}\n"
            '                                    <div class="input-group-append">\n'
            f'                                        <button class="btn btn-secondary" type="submit" data-loading-text="{labels["updating"]}">{labels["update"]}</button>\n'
            "                                    </div>\n"
            "                                    </div>\n"
            "                                </div>\n"
            '                                    <div class="basket-line-actions">\n'
            f'                                        <a href="#" data-id="{counter0}" data-behaviours="remove">{labels["remove"]}</a>\n'
            f"                                        {save_link}\n"
            '                                        <div style="display:none">\n'
            f"                                            {save_input}\n"
            f"                                            {delete_input}\n"
            "                                        </div>\n"
            f"                                        {_errors(form)}\n"
            "                                    </div>\n"
            "\n"
            "                            </div>\n"
            '                            <div class="col-md-1">\n'
            f"                                {_price(line, line.unit_price_incl_tax, line.unit_price_excl_tax, labels['price'])}\n"
            "                            </div>\n"
            '                            <div class="col-md-2">\n'
            "\n"
            f"                                {_price(line, line.line_price_incl_tax, line.line_price_excl_tax, labels['total'])}\n"
            "                            </div>\n"
            "                        </div>\n"
            "                    </div>\n"
            "                \n"
            "            ")
    return mark_safe("".join(rows))

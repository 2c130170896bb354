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

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from oscar.core.thumbnails import get_thumbnailer

from shop.order.templatetags.ocop_line_badges import line_badges
from shop.templatetags.ocop_currency import currency
from shop.templatetags.plain_inputs import plain_input

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
            f"                                {plain_input(form['id'])}\n"
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
            f"                                        {plain_input(form['quantity'], add_class='form-control', aria_label=labels['quantity'])}\n"
            '                                    <div class="input-group-append">\n'
            f'                                        <button class="btn btn-secondary" type="submit" data-loading-text="{labels["updating"]}">{labels["update"]}</button>\n'
            "                                    </div>\n"
            "                                    </div>\n"
            "                                </div>\n"
            '                                    <div class="basket-line-actions">\n'
            f'                                        <a href="#" data-id="{counter0}" data-behaviours="remove">{labels["remove"]}</a>\n'
            f"                                        {save_link}\n"
            '                                        <div style="display:none">\n'
            f"                                            {plain_input(form['save_for_later'])}\n"
            f"                                            {plain_input(form['DELETE'])}\n"
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

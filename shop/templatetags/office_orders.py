"""The office's (the dashboard's) order pages, their repeated rows written at once:

    {% office_order_rows orders %}         the rows of the order list (`/dashboard/orders/`)
    {% office_order_lines order lines %}   the line rows of one order (`/dashboard/orders/<number>/`)

Oscar's templates drew each of the list's 20 orders with about 25 template nodes (three URLs, the
currency filter, the status translated, the customer, both addresses, the date) and each line of an
order with about 30: a third of each page's template time (issue 21). The text is the templates',
byte for byte, whitespace included: tests/speed/test_office_order_rows.py renders the old loops
beside the tags (guests, customers, a deleted customer, a line whose product and supplier are gone,
text that needs escaping, two languages)."""
import datetime
import functools
import re

from django import template
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format, localize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from shop.templatetags.ocop_currency import currency  # the `|currency` every template gets (shop/apps.py)
from shop.templatetags.plain_inputs import escaped

register = template.Library()


@register.simple_tag
def office_order_rows(orders, items=None):
    """`items`: {order id: Order.num_items} when the view summed them (OrderListView.get_context_data),
    else each order's own."""
    deleted, view = escaped(gettext("Deleted")), escaped(gettext("View"))
    urls = _text_url_of("dashboard:order-detail", "number"), _url_of("dashboard:user-detail", pk=MARK)
    date_of = _datetime_shown()
    return mark_safe("".join(_row(order, deleted, view, items, urls, date_of) for order in orders))


def _row(order, deleted, view, items, urls, date_of) -> str:
    order_url_of, user_url_of = urls
    url = order_url_of(order.number)
    num_items = order.num_items if items is None else items[order.id]
    status = escaped(_translated(order.status)) if order.status else "-"
    return (
        "\n                    <tr>"
        f'\n                        <td><input type="checkbox" name="selected_order" class="selected_order" value="{_shown(order.id)}"/></td>'
        f'\n                        <td><a href="{url}">{_shown(order.number)}</a></td>'
        f"\n                        <td>{escaped(currency(order.total_incl_tax, order.currency))}</td>"
        f"\n                        <td>{_shown(num_items)}</td>"
        f"\n                        <td>{status}</td>"
        "\n                        <td>"
        f"\n                            {_customer(order, deleted, user_url_of)}"
        "\n                        </td>"
        f"\n                        <td>{_address(order.shipping_address)}</td>"
        f"\n                        <td>{_address(order.billing_address)}</td>"
        f"\n                        <td>{date_of(order.date_placed)}</td>"
        "\n                        <td>"
        f'\n                            <a class="btn btn-secondary" href="{url}">{view}</a>'
        "\n                        </td>"
        "\n                    </tr>"
        "\n                "
    )


def _customer(order, deleted, user_url_of) -> str:
    """The {% if %}…{% elif %}…{% else %} of the customer's cell, with the blank lines it leaves."""
    if order.guest_email:
        shown = escaped(order.guest_email)
    elif order.user:
        user = order.user
        link = user_url_of(user.id)
        shown = f'<a href="{link}">{escaped(user.get_full_name() or user.email)}</a>'
    else:
        shown = f"&lt;{deleted}&gt;"
    return f"\n                                {shown}\n                            "


def _address(address) -> str:
    """{{ address|default:"-" }}: Oscar's summary (str(address)), the non-empty fields of `base_fields`
    joined by commas, the name led by the title's display. Oscar's get_title_display builds the choices
    of the title for each address, twice (~0.3 ms a page of 20 orders, issue 21): an address without a
    title (most: the checkout asks for none) has its summary made here, without it."""
    if not address:
        return "-"
    if address.title or _empty_title_shown(type(address)):
        return escaped(str(address))
    values = []
    for field in address.base_fields:
        if field == "salutation":  # Oscar's salutation: the title ("") and the names joined
            value = " ".join(filter(bool, (address.first_name, address.last_name))).strip()
        elif field == "country":
            try:
                value = address.country.printable_name
            except ObjectDoesNotExist:
                value = ""
        elif field == "title":
            value = ""
        else:
            value = getattr(address, field)
        if value:
            values.append(value.strip())
    return escaped(", ".join(values))


@functools.cache
def _empty_title_shown(model) -> str:
    """What get_title_display() answers for no title: "" unless the title's choices name the empty value."""
    return dict(model.TITLE_CHOICES).get("", "")


def _datetime_shown():
    """{{ datetime }} for the datetimes of one page: in the current time zone, in the current
    language's DATETIME_FORMAT (localize's answer; the format looked up once a page, not once a value)."""
    fmt = get_format("DATETIME_FORMAT")

    def shown(value):
        if type(value) is not datetime.datetime:
            return _shown(value)
        return escaped(dateformat.format(template_localtime(value), fmt))
    return shown


def _translated(status: str) -> str:
    """{% trans order.status %}: a variable's value as a message id (its % doubled, then undone)."""
    return gettext(status.replace("%", "%%")).replace("%%", "%")


def _shown(value) -> str:
    """{{ value }} as the template writes it: in the current time zone, localized, escaped. Text is
    only escaped, and a whole number written as it is when numbers are not grouped (localize's
    answer for both, without its per-call lookups)."""
    if type(value) is str:
        return escaped(value)
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return escaped(localize(template_localtime(value)))


@register.simple_tag
def office_order_lines(order, lines):
    """The line rows of the office's page of one order (`/dashboard/orders/<number>/`), the
    template's bytes: each line was ~30 template nodes (three URLs, two prices, the status
    translated), a third of the page's template time (issue 21). `lines` as the view gives them,
    with their product and supplier (OrderDetailView.get_order_lines)."""
    view = escaped(gettext("View"))
    urls = (_url_of("dashboard:order-line-detail", number=order.number, line_id=MARK),
            _url_of("dashboard:catalogue-product", pk=MARK), _url_of("dashboard:partner-manage", pk=MARK))
    return mark_safe("".join(_line(order, line, view, urls) for line in lines))


MARK = 918273645  # an id no row has: where a row's id goes in a URL reversed once


def _url_of(name, **kwargs):
    """reverse(name, kwargs) for the id in place of MARK, the URL reversed once: three reverse()
    calls a line were a third of the tag's time. The ids are whole numbers (`<int:…>` in the URL),
    the last part of each URL (rsplit: an order number could hold the same digits)."""
    head, tail = reverse(name, kwargs=kwargs).rsplit(str(MARK), 1)
    return lambda pk: escaped(f"{head}{int(pk)}{tail}")


# What reverse() never quotes (RFC 3986's unreserved characters): a value of these alone is written
# into a URL as it is. Anything else (and an empty value) is reversed on its own.
UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]+")


def _text_url_of(name, kwarg):
    """reverse(name, kwargs={kwarg: value}) for a text value (an order's number), reversed once: the
    value goes in place of a marker when reverse() would write it as it is, else reverse() is asked."""
    head, tail = reverse(name, kwargs={kwarg: str(MARK)}).rsplit(str(MARK), 1)

    def url_of(value):
        if UNQUOTED.fullmatch(value):
            return escaped(f"{head}{value}{tail}")
        return escaped(reverse(name, kwargs={kwarg: value}))
    return url_of


SLUG_MARK = "ocopslugmark"  # a slug no product has: where a slug goes in a URL reversed once
# A slug reverse() writes as it is and that the catalogue's `[\w-]*` takes (empty included).
PLAIN_SLUG = re.compile(r"[A-Za-z0-9_-]*")


def _slug_url_of(name, slug_kwarg, pk_kwarg):
    """reverse(name, kwargs={slug_kwarg: slug, pk_kwarg: pk}) (a product's URL, its reviews' URL),
    reversed once: the slug and the id go in place of the markers when reverse() would write them
    as they are (a plain slug, a whole-number id), else reverse() is asked."""
    def reversed_anew(slug, pk):
        return reverse(name, kwargs={slug_kwarg: slug, pk_kwarg: pk})

    marked, mark = reverse(name, kwargs={slug_kwarg: SLUG_MARK, pk_kwarg: MARK}), str(MARK)
    if marked.count(SLUG_MARK) != 1 or marked.count(mark) != 1 or marked.index(SLUG_MARK) > marked.index(mark):
        return reversed_anew
    head, rest = marked.split(SLUG_MARK)
    middle, tail = rest.split(mark)

    def url_of(slug, pk):
        if type(slug) is str and type(pk) is int and PLAIN_SLUG.fullmatch(slug):
            return f"{head}{slug}{middle}{pk}{tail}"
        return reversed_anew(slug, pk)
    return url_of


def _line(order, line, view, urls) -> str:
    line_url, product_url_of, partner_url_of = urls
    line_id = _shown(line.id)
    url = line_url(line.id)
    if line.product:
        product_url = product_url_of(line.product.id)
        product = f'\n                            <a href="{product_url}">{_shown(line.title)}</a>\n                        '
    else:
        product = f"\n                            {_shown(line.title)}\n                        "
    if line.partner:
        partner_url = partner_url_of(line.partner.id)
        partner = f'\n                            <a href="{partner_url}">{_shown(line.partner_name)}</a>\n                        '
    else:
        partner = f"\n                            {_shown(line.partner_name)}\n                        "
    status = escaped(_translated(line.status)) if line.status else "-"
    quantity = _shown(line.quantity)
    return (
        "\n                <tr>"
        "\n                    <td>"
        f'\n                        <input type="checkbox" name="selected_line" value="{line_id}" />'
        "\n                    </td>"
        "\n                    <td>"
        f'\n                        <input type="text" name="selected_line_qty_{line_id}" value="{quantity}" size="2" style="width:40px" />'
        "\n                    </td>"
        f'\n                    <td><a href="{url}">#{line_id}</a></td>'
        f"\n                    <td>{quantity}</td>"
        f"\n                    <td>\n                        {product}\n                    </td>"
        f'\n                    <td>{_shown(line.upc or "-")}</td>'
        f"\n                    <td>{status}</td>"
        f"\n                    <td>\n                        {partner}\n                    </td>"
        f"\n                    <td>{_shown(line.partner_sku)}</td>"
        f'\n                    <td class="text-right">{escaped(currency(line.line_price_before_discounts_excl_tax, order.currency))}</td>'
        f'\n                    <td class="text-right">{escaped(currency(line.line_price_before_discounts_incl_tax, order.currency))}</td>'
        "\n                    <td>"
        f'\n                        <a href="{url}" class="btn btn-secondary">{view}</a>'
        "\n                    </td>"
        "\n                </tr>"
        "\n            "
    )

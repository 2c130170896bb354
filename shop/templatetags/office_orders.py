"""`{% office_order_rows orders %}`: the rows of the office's order list (the dashboard's
`/dashboard/orders/`), written at once.

Oscar's template drew each of the page's 20 orders with about 25 template nodes (three URLs, the
currency filter, the status translated, the customer, both addresses, the date), a third of the
page's template time (issue 21). The text is the template's, byte for byte, whitespace included:
tests/dashboard/test_office_order_rows.py renders the old loop beside it for guests, customers,
deleted customers and a name that needs escaping."""
from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from oscar.templatetags.currency_filters import currency

from shop.templatetags.plain_inputs import escaped

register = template.Library()


@register.simple_tag
def office_order_rows(orders):
    deleted, view = escaped(gettext("Deleted")), escaped(gettext("View"))
    return mark_safe("".join(_row(order, deleted, view) for order in orders))


def _row(order, deleted, view) -> str:
    url = escaped(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    status = escaped(_translated(order.status)) if order.status else "-"
    return (
        "\n                    <tr>"
        f'\n                        <td><input type="checkbox" name="selected_order" class="selected_order" value="{_shown(order.id)}"/></td>'
        f'\n                        <td><a href="{url}">{_shown(order.number)}</a></td>'
        f"\n                        <td>{escaped(currency(order.total_incl_tax, order.currency))}</td>"
        f"\n                        <td>{_shown(order.num_items)}</td>"
        f"\n                        <td>{status}</td>"
        "\n                        <td>"
        f"\n                            {_customer(order, deleted)}"
        "\n                        </td>"
        f'\n                        <td>{_shown(order.shipping_address or "-")}</td>'
        f'\n                        <td>{_shown(order.billing_address or "-")}</td>'
        f"\n                        <td>{_shown(order.date_placed)}</td>"
        "\n                        <td>"
        f'\n                            <a class="btn btn-secondary" href="{url}">{view}</a>'
        "\n                        </td>"
        "\n                    </tr>"
        "\n                "
    )


def _customer(order, deleted) -> str:
    """The {% if %}…{% elif %}…{% else %} of the customer's cell, with the blank lines it leaves."""
    if order.guest_email:
        shown = escaped(order.guest_email)
    elif order.user:
        user = order.user
        link = escaped(reverse("dashboard:user-detail", kwargs={"pk": user.id}))
        shown = f'<a href="{link}">{escaped(user.get_full_name() or user.email)}</a>'
    else:
        shown = f"&lt;{deleted}&gt;"
    return f"\n                                {shown}\n                            "


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

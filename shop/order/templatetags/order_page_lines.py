"""`{% order_page_lines order user as lines %}`: an order's lines as the shopper's order page shows
them (product, options, today's OCOP badge, "Write a review"), in a fixed number of queries
whatever the number of lines. Oscar's template asks each line for its product, its options
(`line.description`) and whether its product was reviewed by this shopper: three queries a line.

`{% order_page_line_rows order lines %}` then writes the table's rows of those lines at once."""
from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext
from oscar.core.loading import feature_hidden, get_model

from shop.basket.lines import with_line_badges
from shop.order import known_rows
from shop.order.templatetags.ocop_line_badges import line_badges
from shop.templatetags.ocop_currency import currency  # the `|currency` every template gets (shop/apps.py)
from shop.templatetags.office_orders import MARK, _shown, _slug_url_of, _url_of
from shop.templatetags.plain_inputs import escaped

register = template.Library()
ProductReview = get_model("reviews", "ProductReview")


@register.simple_tag
def order_page_lines(order, user) -> list:
    """The order's query may have said whether any line has options and whether the shopper reviewed
    any of the products (shop/account_views.py, `ocop_has_line_attributes`, `ocop_has_reviews`): then
    the query that would find none is not asked (issue 21)."""
    lines = order.lines.select_related("product")
    with_attributes = getattr(order, "ocop_has_line_attributes", True)
    lines = list(lines.prefetch_related("attributes__option") if with_attributes else lines)
    if not with_attributes:
        for line in lines:
            known_rows.known_empty(line, "attributes")
    products = [line.product for line in lines if line.product is not None]
    # attach_badges' facts from the basket's query compiled once a day: the same facts on the same
    # products (tests/basket/test_line_badges_once_a_day.py), without the ORM compiling the annotated
    # query and making whole product rows of it (~5 ms of this page's CPU, issue 21)
    with_line_badges(lines)
    # Oscar's Product.is_review_permitted, asked once for the page: one review per shopper and product.
    may_review = user.is_authenticated or settings.OSCAR_ALLOW_ANON_REVIEWS
    reviewed = set()
    if user.is_authenticated and products and (getattr(order, "ocop_has_reviews", True) or user.pk != order.user_id):
        reviewed = set(ProductReview.objects.filter(user=user, product__in=products)
                       .values_list("product_id", flat=True))
    for line in lines:
        line.review_permitted = may_review and line.product_id not in reviewed
    return lines


@register.simple_tag(takes_context=True)
def order_page_line_rows(context, order, lines):
    """The rows of the shopper's order page's line table (`templates/oscar/customer/order/order_detail.html`),
    `lines` from {% order_page_lines %}: the loop's text, byte for byte, whitespace included. Each line
    was ~30 template nodes (two URLs, the product's URL, two prices, the badges, the form and its CSRF
    input, the words of the buttons): a third of the page's template time (issue 21).
    tests/speed/test_account_order_rows.py renders the old loop beside it (vi, en; a product gone, one
    no longer public, a line already reviewed, text that needs escaping)."""
    words = {"review": escaped(gettext("Write a review")),
             "reordering": escaped(pgettext("Buy again", "Re-ordering...")),
             "reorder": escaped(pgettext("Buy again", "Re-order")),
             "gone": escaped(gettext("Not available anymore"))}
    # the three URLs of a row reversed once a page (office_orders: a reverse() a line and URL was ~0.7 ms)
    urls = (_url_of("customer:order-line", order_number=order.number, line_id=MARK),
            _slug_url_of("catalogue:detail", "product_slug", "pk"),
            _slug_url_of("catalogue:reviews-add", "product_slug", "product_pk"))
    csrf = _csrf_input(context)
    reviews = not feature_hidden("reviews")
    return mark_safe("".join(_row(order, line, words, urls, csrf, reviews) for line in lines))


def _csrf_input(context) -> str:
    """{% csrf_token %} (django.template.defaulttags.CsrfTokenNode), the same for every row."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escaped(token)}">'


def _row(order, line, words, urls, csrf, reviews) -> str:
    line_url, product_url_of, review_url_of = urls
    product = line.product
    description = escaped(line.description)
    if product:
        if product.is_public:
            shown = ("\n                                <p>"
                     f'\n                                    <a href="{escaped(product_url_of(product.slug, product.id))}">{description}</a>'
                     "\n                                </p>"
                     f"\n                                {line_badges(product)}"
                     "\n                                ")
        else:
            shown = f"\n                                <p>{description}</p>\n                                "
        review = ""
        if reviews:
            link = ""
            if line.review_permitted:
                url = escaped(review_url_of(product.slug, product.id))
                link = (f'\n                                        <a class="btn btn-secondary" href="{url}#addreview">'
                        f'{words["review"]}</a>\n                                    ')
            review = f"\n                                    {link}\n                                "
        cell = f"\n\n                                {shown}\n\n                                {review}\n                            "
    else:
        cell = (f"\n                                <p>\n                                    {description}"
                "\n                                </p>\n                            ")
    line_id = _shown(line.id)
    if product and product.is_public:
        action = (f'\n                                <form id="line_form_{line_id}" action="{line_url(line.id)}" method="POST">'
                  f"\n                                    {csrf}"
                  '\n                                    <input type="hidden" name="action" value="reorder" />'
                  f'\n                                    <button id="reorder_line_{line_id}" class="btn btn-success" type="submit" '
                  f'data-loading-text="{words["reordering"]}">{words["reorder"]}</button>'
                  "\n                                </form>\n                            ")
    else:
        action = f"\n                                {words['gone']}\n                            "
    return (
        "\n                "
        "\n                    <tr>"
        f"\n                        <td>\n                            {cell}\n                        </td>"
        f"\n                        <td>{_shown(line.quantity)}</td>"
        f"\n                        <td>{escaped(currency(line.line_price_before_discounts_excl_tax, order.currency))}</td>"
        f"\n                        <td>{escaped(currency(line.line_price_before_discounts_incl_tax, order.currency))}</td>"
        f'\n                        <td width="90">\n                            {action}\n                        </td>'
        "\n                    </tr>"
        "\n                "
        "\n            "
    )

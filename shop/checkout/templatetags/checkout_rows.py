"""`{% checkout_line_rows lines %}`: the basket's lines on the checkout screens (templates/oscar/checkout/checkout.html's
order contents), each written in Python: the text the template's loop wrote, byte for byte.

The loop was ~20 template nodes a line (the thumbnail and purchase info tags, the badges, the price
`if`, the link): a tenth of the checkout review page (issue 21). The values come from the same calls
(shop/basket/templatetags/basket_rows.py has the helpers), escaped as `{{ }}` escapes them. Two of the
loop's values name what the checkout's context does not hold (`form.instance.product.get_absolute_url`,
`product.get_title`: Oscar's template): they are rendered once a page, as the loop rendered them.
tests/checkout/test_checkout_line_rows.py renders the old loop beside it."""
from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe

from shop.basket.lines import purchase_info, with_line_badges
from shop.basket.templatetags.basket_rows import E, PageThumbnails, ProductUrls, line_description
from shop.order.templatetags.ocop_line_badges import line_badges
from shop.templatetags.ocop_currency import currency

register = template.Library()
# Oscar's names that are not the line's (see above), rendered in the page's context once.
CONTEXT_VALUES = template.Template('{{ form.instance.product.get_absolute_url }}\x00{{ product.get_title }}')


@register.simple_tag
def checkout_lines(lines):
    """`{% ocop_with_badges basket.all_lines %}`: the lines, their products with today's badges (shop/basket/lines.py)."""
    return with_line_badges(lines)


@register.simple_tag(takes_context=True)
def checkout_line_rows(context, lines):
    request, basket = context["request"], context.get("basket")
    href, alt = CONTEXT_VALUES.render(context).split("\x00")
    incl_tax = not context.get("show_tax_separately")
    currency_code = getattr(basket, "currency", None)
    lines = list(lines)
    thumbnails = PageThumbnails() if lines else None
    urls = ProductUrls() if lines else None
    rows = []
    for line in lines:
        product = line.product
        session = purchase_info(request, line)  # {% purchase_info_for_line request line %}
        amount = line.line_price_incl_tax if incl_tax and line.is_tax_known else line.line_price_excl_tax
        rows.append(
            "\n            \n"
            '            <div class="basket-items">\n'
            '                <div class="row">\n'
            '                    <div class="col-sm-2">\n'
            '                        <div class="image_container w-100">\n'
            "                            \n"
            "                                \n"
            f'                                <a href="{href}">\n'
            f'                                    <img src="{thumbnails.url(product)}" alt="{alt}" class="img-thumbnail w-auto mx-auto my-0">\n'
            "                                </a>\n"
            "                            \n"
            "                        </div>\n"
            "                    </div>\n"
            '                    <div class="col-sm-7">\n'
            f'                        <h3><a href="{E(urls.url(product))}">{E(line_description(line))}</a></h3>\n'
            f"                        {E(line_badges(product))}\n"
            f'                        <span class="availability {E(session.availability.code)}">{E(session.availability.message)}</span>\n'
            "                    </div>\n"
            '                    <div class="col-sm-1 text-center">\n'
            f"                        {E(localize(line.quantity))}\n"
            "                    </div>\n"
            '                    <div class="col-sm-2 text-right">\n'
            '                        <p class="price_color">\n'
            "                            \n"
            f"                                {E(currency(amount, currency_code))}\n"
            "                            \n"
            "                        </p>\n"
            "                    </div>\n"
            "                </div>\n"
            "            </div>\n"
            "        ")
    return mark_safe("".join(rows))

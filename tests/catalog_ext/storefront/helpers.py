"""Finding demo products and reading what a page shows of them."""
import datetime as dt
import re

from django.utils import formats, translation
from oscar.core.loading import get_model

from catalog_ext import rules

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")

STARS = re.compile(r'data-ocop-stars="(\d)"')


def product(sku: str):
    return StockRecord.objects.select_related("product").get(partner_sku=sku).product


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def product_part(page: str) -> str:
    """A product page without its related-products and recently-viewed cards (other products,
    with their own badges): what the page says about the product itself."""
    return page.split("data-related-products")[0].split('aria-labelledby="recent-heading"')[0]


def card(page: str, product) -> str:
    """The catalogue card (article.product_pod) of `product` on a listing page, or ''."""
    url = product.get_absolute_url()
    for chunk in page.split('<article class="product_pod">')[1:]:
        chunk = chunk.split("</article>")[0]
        if f'href="{url}"' in chunk:
            return chunk
    return ""


def catalogue_card(client, product) -> str:
    """The product's card on /catalogue/, whichever page it is on."""
    for page in range(1, 10):
        response = client.get(f"/catalogue/?page={page}")
        if response.status_code != 200:
            break
        found = card(response.content.decode(), product)
        if found:
            return found
    raise AssertionError(f"{product} has no card on /catalogue/")


def short_date(day: dt.date, language: str = "vi") -> str:
    with translation.override(language):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def yesterday() -> dt.date:
    return rules.today() - dt.timedelta(days=1)

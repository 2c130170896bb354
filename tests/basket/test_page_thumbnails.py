"""The basket's and the checkout's line thumbnails come from PageThumbnails (shop/basket/templatetags/
basket_rows.py): the primary image read from the prefetched photos, Oscar's placeholder asked once a
page, a thumbnail already made on the page written again (issue 21). Its URLs must be thumbnail_url's
(Oscar's `primary_image()` then the thumbnailer) for photos in display order, one file on two products,
products without a photo, a variant and a product whose photos were not prefetched; and the basket's
lines must stay the template loop's, byte for byte. (Fails on the old code: PageThumbnails does not exist.)"""
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from PIL import Image

from shop.basket.templatetags.basket_rows import PageThumbnails, thumbnail_url
from tests.basket.test_basket_line_rows import _both
from tests.speed.test_query_counts_by_size import _basket_of

pytestmark = pytest.mark.django_db
Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")


def _png(colour: str) -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, "PNG")
    return ContentFile(out.getvalue(), name=f"page-thumbnail-{colour}.png")


@pytest.fixture
def photographed_basket(client, django_user_model):
    user = django_user_model.objects.create_user("khach-anh", "khach-anh@example.vn", "mat-khau-2026")
    client.force_login(user)
    _basket_of(client, 4)
    lines = list(Line.objects.filter(basket__owner=user).order_by("pk"))
    ProductImage.objects.filter(product__in=[line.product_id for line in lines]).delete()
    second = ProductImage.objects.create(product=lines[0].product, original=_png("green"), display_order=2)
    first = ProductImage.objects.create(product=lines[0].product, original=_png("red"), display_order=1)
    # the same file on another product (lines 2 and 3 have no photo: Oscar's placeholder, twice)
    ProductImage.objects.create(product=lines[1].product, original=first.original.name, display_order=0)
    assert second.original.name != first.original.name
    return lines


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_lines_with_photos_are_the_loops_bytes(client, photographed_basket, language):
    with translation.override(language):
        page = client.get(reverse("basket:summary"), HTTP_ACCEPT_LANGUAGE=language)
        before, now = _both(page)
    assert now == before
    assert now.count('<img class="img-thumbnail') == 4 and now.count(".png") + now.count(".jpg") >= 2


def test_each_url_is_thumbnail_urls(client, photographed_basket):
    basket = photographed_basket[0].basket
    prefetched = [line.product for line in basket.all_lines()]
    plain = [Product.objects.get(pk=product.pk) for product in prefetched]  # photos not prefetched
    parent = Product.objects.create(title="Trà mẹ", structure="parent", product_class=prefetched[0].product_class)
    ProductImage.objects.create(product=parent, original=_png("blue"), display_order=0)
    variant = Product.objects.create(title="Trà con", structure="child", parent=parent)
    products = prefetched + plain + [variant, parent]
    thumbnails = PageThumbnails()

    urls = [thumbnails.url(product) for product in products]

    assert urls == [thumbnail_url(product) for product in products]
    by_product = {product.pk: url for product, url in zip(products, urls, strict=True)}
    red, shared, none_a, none_b = (line.product_id for line in photographed_basket)
    assert by_product[red] == by_product[shared] and by_product[none_a] == by_product[none_b]
    assert len({by_product[red], by_product[none_a], urls[-1]}) == 3 and urls[-1] == urls[-2]
    assert by_product[none_a] and by_product[red]

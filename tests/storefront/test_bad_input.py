"""Pages stay intentional with awkward data: no photo, a very long Vietnamese name, a producer
without a logo, an empty category."""
import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from tests.catalog_ext.storefront.helpers import body, card, product

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
LONG_NAME = ("Trà túi lọc thảo dược Shan tuyết cổ thụ kết hợp hoa atiso đỏ, gừng núi và mật ong "
             "rừng Sốp Cộp – hộp quà Tết truyền thống 25 gói × 2 g của đồng bào Mông bản Tà Xùa")


def new_product(title: str, sku: str):
    coffee = product("CF-001")
    made = Product.objects.create(title=title, product_class=coffee.product_class, producer=coffee.producer,
                                  is_public=True)
    StockRecord.objects.create(product=made, partner=coffee.producer, partner_sku=sku, price=Decimal(99000),
                               num_in_stock=3)
    return made


def test_product_without_photo_shows_placeholder_art_never_a_broken_image(client):
    # A new product rather than deleting a demo photo: Oscar deletes the file with the row, and
    # the rollback would bring back only the row.
    bare = new_product("Chè Shan tuyết chưa có ảnh", "NOPHOTO-1")
    page = body(client.get(bare.get_absolute_url()))
    main = page.split('class="gallery__main"')[1].split("</div>")[0]
    assert re.search(r'<img src="/static/ocop/placeholder-product\.svg" width="\d+" height="\d+" alt="[^"]+"', main)
    assert "og:image" not in page and '"image"' not in page.split("application/ld+json")[1].split("</script>")[0]
    listing_card = card(body(client.get(bare.producer.get_absolute_url())), bare)
    assert "placeholder-product.svg" in listing_card and 'loading="lazy"' in listing_card


def test_photos_are_resized_thumbnails_with_srcset_and_sizes(client):
    coffee = product("CF-001")
    listing_card = card(body(client.get(coffee.producer.get_absolute_url())), coffee)
    img = re.search(r"<img [^>]+>", listing_card).group(0)
    assert re.search(r'srcset="/media/cache/\S+ 240w, /media/cache/\S+ 480w"', img)
    assert 'width="240" height="240"' in img and 'loading="lazy"' in img
    page = body(client.get(coffee.get_absolute_url()))
    main = re.search(r"<img [^>]+>", page.split('class="gallery__main"')[1]).group(0)
    assert 'loading="eager"' in main and " 960w" in main  # above the fold: no lazy loading


def test_very_long_name_is_clamped_with_the_full_name_on_hover(client):
    long_one = new_product(LONG_NAME, "LONG-1")
    listing_card = card(body(client.get("/catalogue/")), long_one)
    assert f'class="clamp-2" href="{long_one.get_absolute_url()}" title="{LONG_NAME}"' in listing_card
    page = body(client.get(long_one.get_absolute_url()))
    assert f"<h1>{LONG_NAME}</h1>" in page
    assert f'aria-current="page" title="{LONG_NAME}"' in page  # the breadcrumb is cut with an ellipsis


def test_producer_without_logo_gets_an_initials_mark(client):
    coffee = product("CF-001")
    assert not coffee.producer.logo
    page = body(client.get(coffee.get_absolute_url()))
    producer_card = page.split('class="ocop-panel ocop-producer-card')[1].split("</section>")[0]
    assert re.search(rf'<svg class="ocop-producer-logo"[^>]*role="img" aria-label="{coffee.producer.name}"', producer_card)
    assert ">CM</text>" in producer_card  # HTX Cà phê Chiềng Mai


def test_empty_category_says_so(client):
    empty = Category.add_root(name="Sản phẩm mới", slug="san-pham-moi", is_public=True)
    response = client.get(empty.get_absolute_url())
    page = body(response)
    assert "data-empty-state" in page and "Danh mục này chưa có sản phẩm nào đang bán." in page
    assert 'class="product_pod"' not in page


def test_unknown_page_is_a_vietnamese_404_in_the_shop_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page and 'class="site-header"' in page and 'name="q"' in page


def test_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Xin lỗi, hệ thống đang gặp sự cố" in page and "/static/ocop/ocop.css" in page


def test_the_login_page_has_one_page_heading(client):
    html = client.get("/accounts/login/").content.decode()
    assert html.count("<h1") == 1 and "Đăng nhập hoặc tạo tài khoản" in html

"""The storefront answers in Vietnamese with prices in whole đồng ("150.000 ₫")."""
import re

import pytest
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

VND = re.compile(r"\d{1,3}(?:\.\d{3})+ ₫")
pytestmark = pytest.mark.django_db


def _coffee():
    return StockRecord.objects.select_related("product").get(partner_sku="CF-001")


@pytest.mark.parametrize("url", ["/", "/catalogue/", "/search/?q=Cà+phê"])
def test_listing_pages_in_vietnamese_with_dong_prices(client, url):
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi"' in body
    assert "Thêm vào giỏ hàng" in body  # Oscar's own vi strings are used
    assert VND.search(body), "no price shown as 150.000 ₫"
    assert body.count('class="product_pod"') >= 1


def test_product_page_shows_price_in_dong(client):
    record = _coffee()
    response = client.get(record.product.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "185.000 ₫" in body
    assert record.product.title in body


def test_basket_shows_line_and_total_in_dong(client):
    record = _coffee()
    response = client.post(f"/basket/add/{record.product.pk}/", {"quantity": 2}, follow=True)
    assert response.status_code == 200
    body = client.get("/basket/").content.decode()
    assert record.product.title in body
    assert "370.000 ₫" in body  # 2 × 185.000 ₫, no decimals
    assert ",00" not in body and ".00 " not in body


def test_language_switch_to_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en"' in body
    assert re.search(r"Add to (basket|cart)", body)
    assert VND.search(body)  # VND keeps its Vietnamese form in English too
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi"' in client.get("/").content.decode()


def test_category_page_lists_only_its_products(client):
    response = client.get("/catalogue/", follow=True)
    assert response.status_code == 200
    category = get_model("catalogue", "Category").objects.get(name="Cà phê")
    body = client.get(category.get_absolute_url()).content.decode()
    assert "Cà phê Arabica Sơn La rang xay" in body
    assert "Xoài tròn Yên Châu" not in body


def test_unknown_page_number_redirects_with_message(client):
    response = client.get("/catalogue/?page=999", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/catalogue/")

"""What search engines read: schema.org Product data, Open Graph, canonical and hreflang
alternates (vi default, ?lang=en), and /sitemap.xml."""
import json
import re
import xml.etree.ElementTree as ET

import pytest
from oscar.core.loading import get_model

from tests.catalog_ext.storefront.helpers import body, product

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def json_ld(page: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json"(?: nonce="[^"]+")?>(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(page: str, prop: str) -> str:
    found = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', page)
    return found.group(1) if found else ""


def test_product_json_ld_is_a_valid_schema_org_product(client):
    coffee = product("CF-001")
    data = json_ld(body(client.get(coffee.get_absolute_url())))

    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == coffee.title
    assert data["url"] == f"http://testserver{coffee.get_absolute_url()}"
    assert data["brand"] == {"@type": "Brand", "name": coffee.producer.name}
    assert all(url.startswith("http://testserver/media/") for url in data["image"])
    offer = data["offers"]
    assert offer["@type"] == "Offer" and offer["priceCurrency"] == "VND"
    assert offer["price"] == 185000 and isinstance(offer["price"], int)  # whole đồng, no decimals
    assert offer["availability"] == "https://schema.org/InStock"
    assert data["award"] == "OCOP 5★"


def test_sold_out_product_is_out_of_stock_in_json_ld(client):
    coffee = product("CF-001")
    coffee.stockrecords.update(num_in_stock=0)
    offer = json_ld(body(client.get(coffee.get_absolute_url())))["offers"]
    assert offer["availability"] == "https://schema.org/OutOfStock"


def test_open_graph_names_the_product_and_its_photo(client):
    coffee = product("CF-001")
    page = body(client.get(coffee.get_absolute_url()))
    assert meta(page, "og:type") == "product"
    assert meta(page, "og:title") == coffee.title
    assert re.fullmatch(r"http://testserver/media/cache/.+\.(webp|jpg)", meta(page, "og:image"))
    assert meta(page, "product:price:amount") == "185000" and meta(page, "product:price:currency") == "VND"


def test_canonical_and_hreflang_alternates(client):
    url = product("CF-001").get_absolute_url()
    page = body(client.get(url))
    assert f'<link rel="canonical" href="http://testserver{url}">' in page
    assert f'<link rel="alternate" hreflang="vi" href="http://testserver{url}?lang=vi">' in page
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{url}?lang=en">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{url}">' in page


def test_lang_en_shows_the_english_page_and_english_stays_for_the_visit(client):
    url = product("CF-001").get_absolute_url()
    english = body(client.get(url + "?lang=en"))
    assert '<html lang="en"' in english and "About this product" in english and "Về sản phẩm này" not in english
    assert f'<link rel="canonical" href="http://testserver{url}?lang=en">' in english
    assert meta(english, "og:locale") == "en_GB"
    assert '<html lang="en"' in body(client.get(url))  # the next click, without ?lang= (issue 19)
    assert '<html lang="vi"' in body(client.get(url + "?lang=vi"))


def test_visible_language_switch_sets_the_language(client):
    home = body(client.get("/"))
    assert 'name="language" value="en"' in home and 'name="language" value="vi"' in home
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = body(client.get("/"))
    assert '<html lang="en"' in page and "OCOP products of Sơn La" in page and "In season now" in page


def test_sitemap_lists_products_categories_producers_and_pages_with_alternates(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    urls = {u.find("s:loc", SITEMAP_NS).text: u for u in root.findall("s:url", SITEMAP_NS)}
    paths = {re.sub(r"^https?://[^/]+", "", loc) for loc in urls}
    coffee = product("CF-001")
    assert coffee.get_absolute_url() in paths
    assert coffee.producer.get_absolute_url() in paths
    assert Category.objects.filter(is_public=True).first().get_absolute_url() in paths
    assert {"/", "/catalogue/", "/producers/", "/showrooms/"} <= paths
    entry = next(u for loc, u in urls.items() if loc.endswith(coffee.get_absolute_url()))
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", SITEMAP_NS)}
    assert alternates["en"].endswith(coffee.get_absolute_url() + "?lang=en")
    assert alternates["vi"].endswith(coffee.get_absolute_url() + "?lang=vi")

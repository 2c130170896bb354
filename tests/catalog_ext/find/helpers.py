"""What a shopper sees on a listing page, read back from the response."""
from __future__ import annotations

import datetime as dt

from oscar.core.loading import get_model

from catalog_ext.badges import badges_for
from catalog_ext.rules import today

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def listed(client, url) -> list:
    """Every product the listing shows, following its pages (24 a page)."""
    products, page = [], 1
    while True:
        response = client.get(url + ("&" if "?" in url else "?") + f"page={page}")
        assert response.status_code == 200
        products += list(response.context["page_obj"].object_list)
        if not response.context["page_obj"].has_next():
            return products
        page += 1


def titles(client, url) -> list[str]:
    return [p.title for p in listed(client, url)]


def facet(response, name) -> dict[str, int]:
    """Option value -> count shown in the filter panel."""
    for group in response.context["facet_groups"]:
        if group["name"] == name:
            return {o.value: o.count for o in group["options"]}
    raise KeyError(name)


def browsable():
    return list(Product.objects.browsable().select_related("producer", "gi"))


def stars_of(product) -> int | None:
    return badges_for(Product.objects.get(pk=product.pk)).stars


def price_of(product):
    record = StockRecord.objects.filter(product=product).order_by("pk").first()
    return record.price if record else None


def add_products(n: int, *, title="Sản phẩm thử", category_name="Cà phê", stars=4) -> list:
    """n more products like a producer would add: stock record, category, a valid certificate."""
    from catalog_ext.models import Certificate

    product_class = ProductClass.objects.first()
    producer = Partner.objects.get(code="chieng-mai-coffee")
    category = Category.objects.get(name=category_name)
    created = []
    for i in range(n):
        product = Product.objects.create(title=f"{title} {i}", product_class=product_class, producer=producer,
                                         ocop_group="beverage", upc=f"TEST{i:06d}")
        product.categories.add(category)
        StockRecord.objects.create(product=product, partner=producer, partner_sku=f"TEST-{i}",
                                   price=100000 + i * 1000, num_in_stock=5)
        Certificate.objects.create(product=product, stars=stars, score=75 if stars == 4 else 60,
                                   number=f"TEST/{i}", level="province", issuer="UBND tỉnh Sơn La",
                                   issued_on=today() - dt.timedelta(days=30))
        created.append(product)
    return created

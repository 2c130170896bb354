"""Counting a page's queries, and the rows that make a page bigger: shared by the speed tests."""
from __future__ import annotations

import itertools
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

DATA_STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
_serial = itertools.count(1)


def data_queries(captured) -> list[str]:
    """Statements that read or write data (BEGIN/COMMIT/SAVEPOINT are the transaction's, not the page's)."""
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(DATA_STATEMENTS)]


def tables_read(captured, pattern=r'FROM "(\w+)"') -> list[str]:
    """The table each data query reads (`pattern`'s group), an EXISTS in its columns left out: the
    office's order query, which says whether the order has rows of other tables, reads "order_order"."""
    return [found.group(1) for sql in data_queries(captured)
            if (found := re.search(pattern, re.sub(r"EXISTS\(.*?\) AS", "", sql)))]


def page_queries(client, url) -> int:
    """The queries of a steady page: first visits write counters and session state, so the third
    visit is counted."""
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(data_queries(captured))


def post_queries(client, url, data) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    return len(data_queries(captured)), response


def products_of(partner, count: int, *, like: str = "CF-001", stock: int = 500) -> list:
    """`count` more public products made and sold by `partner`, of the same class as the demo's `like`."""
    model = StockRecord.objects.select_related("product").get(partner_sku=like).product
    made = []
    for _ in range(count):
        n = next(_serial)
        product = Product.objects.create(title=f"Sản phẩm thử {n:03d}", product_class=model.product_class,
                                         upc=f"SPEED-{n}", producer=partner, is_public=True)
        StockRecord.objects.create(product=product, partner=partner, partner_sku=f"SPEED-{n}",
                                   price=Decimal(100000 + n), num_in_stock=stock)
        made.append(product)
    return made


def add_two_discounts(order) -> None:
    """A basket discount and a shipping one, their names needing escaping: pages that list an
    order's discounts must read them once, whatever their number."""
    OrderDiscount = get_model("order", "OrderDiscount")
    OrderDiscount.objects.create(order=order, category=OrderDiscount.BASKET, offer_name="Giảm <Tết>",
                                 amount=Decimal("5000"))
    OrderDiscount.objects.create(order=order, category=OrderDiscount.SHIPPING, offer_name="Miễn phí & giao",
                                 amount=Decimal("3000"))

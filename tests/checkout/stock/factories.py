"""Products with a known stock, and orders placed through our OrderCreator as the checkout does.

Everything is made here, not read from the demo: the PostgreSQL concurrency tests run with real
commits (transaction=True), after which the database is flushed."""
from __future__ import annotations

import itertools
from decimal import Decimal

from oscar.core.loading import get_class, get_model

from demo.catalogue import ensure_country

Basket = get_model("basket", "Basket")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")
ShippingAddress = get_model("order", "ShippingAddress")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")
Free = get_class("shipping.methods", "Free")

_serial = itertools.count(1)


def make_product(*, title: str, stock: int, allocated: int = 0, track_stock: bool = True,
                 price: Decimal = Decimal(150000)):
    """A product with one stock record of `stock` units, `allocated` of them already taken."""
    n = next(_serial)
    kind, _ = ProductClass.objects.get_or_create(
        slug="test-tracked" if track_stock else "test-untracked",
        defaults={"name": "Tracked" if track_stock else "Untracked", "track_stock": track_stock})
    partner, _ = Partner.objects.get_or_create(code="hop-tac-xa-thu", defaults={"name": "HTX Thử"})
    product = Product.objects.create(title=title, product_class=kind, upc=f"TEST-STOCK-{n}")
    StockRecord.objects.create(product=product, partner=partner, partner_sku=f"TST-{product.pk}", price=price,
                               num_in_stock=stock, num_allocated=allocated)
    return product


def stockrecord(product):
    return StockRecord.objects.get(product=product)


def basket_of(*lines, owner=None):
    """A fresh open basket holding (product, quantity) lines, in the order given."""
    basket = Basket.objects.create(owner=owner)
    basket.strategy = Selector().strategy()
    for product, quantity in lines:
        basket.add_product(product, quantity)
    return basket


def place(basket, **kwargs):
    """Place `basket` as Oscar's checkout does (our OrderCreator: allocation under lock)."""
    method = Free()
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    address = ShippingAddress.objects.create(first_name="Thu Hà", last_name="Nguyễn", line1="12 Tô Hiệu",
                                             line4="Sơn La", country=ensure_country(), phone_number="+84912345678")
    return OrderCreator().place_order(basket=basket, total=total, shipping_method=method, shipping_charge=charge,
                                      shipping_address=address, guest_email="khach@example.vn", **kwargs)

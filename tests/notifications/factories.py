"""Producers with a dashboard user, their products, and orders placed as the checkout places them.

Made here rather than read from the demo: the fault tests commit (transaction=True) and the database
is flushed after them."""
from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from oscar.core.loading import get_model

from tests.checkout.stock.factories import basket_of, place

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")

_serial = itertools.count(1)

__all__ = ["basket_of", "place", "make_producer", "make_product", "order_from"]


def make_producer(code: str, email: str):
    """A producer (partner) with one dashboard user."""
    partner, _ = Partner.objects.get_or_create(code=code, defaults={"name": f"HTX {code}", "kind": "coop"})
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        user = get_user_model().objects.create_user(username=email.split("@")[0], email=email, password="x-2026")
        user.user_permissions.add(Permission.objects.get(codename="dashboard_access",
                                                         content_type__app_label="partner"))
    partner.users.add(user)
    return partner


def make_product(partner, *, title: str, stock: int = 100, threshold: int | None = None,
                 price: Decimal = Decimal(120000)):
    n = next(_serial)
    kind, _ = ProductClass.objects.get_or_create(slug="test-tracked",
                                                 defaults={"name": "Tracked", "track_stock": True})
    product = Product.objects.create(title=title, product_class=kind, upc=f"TEST-NTF-{partner.pk}-{n}")
    StockRecord.objects.create(product=product, partner=partner, partner_sku=f"{partner.code[:8]}-{n}",
                               price=price, num_in_stock=stock, low_stock_threshold=threshold)
    return product


def order_from(*lines):
    """Place an order of (product, quantity) lines as the checkout does."""
    return place(basket_of(*lines))

"""A showroom with its own shelf, staff and shifts, made from scratch (the PostgreSQL tests commit
for real and flush afterwards, so they cannot lean on the demo)."""
from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from core.places import ward_code
from pos import shifts, stock
from showrooms.models import Showroom, ShowroomStaff

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")

_serial = itertools.count(1)


def make_producer(name="HTX Thử nghiệm", email="htx.thu@example.vn"):
    n = next(_serial)
    return Partner.objects.create(code=f"test-producer-{n}", name=f"{name} {n}", kind="cooperative",
                                  contact_email=email)


def make_product(producer, *, title="Chè Shan tuyết Tà Xùa 100g", stock_level=50, price=Decimal(150000)):
    n = next(_serial)
    kind, _ = ProductClass.objects.get_or_create(slug="test-pos-goods", defaults={"name": "Goods", "track_stock": True})
    product = Product.objects.create(title=f"{title} #{n}", product_class=kind, upc=f"89300{n:08d}", producer=producer)
    StockRecord.objects.create(product=product, partner=producer, partner_sku=f"POS-{n}", price=price,
                               num_in_stock=stock_level, num_allocated=0)
    return product


def make_showroom(slug=None):
    n = next(_serial)
    return Showroom.objects.create(name=f"Điểm OCOP thử {n}", slug=slug or f"test-showroom-{n}", ward_code=ward_code("Phường Mộc Châu"),
                                   street="Số 1 (test)")


def make_staff(showroom, role=ShowroomStaff.CASHIER, can_discount=False):
    n = next(_serial)
    user = get_user_model().objects.create_user(username=f"pos-staff-{n}", email=f"staff{n}@example.vn",
                                                password="x-secret-pos-1")
    ShowroomStaff.objects.create(showroom=showroom, user=user, role=role, can_discount=can_discount)
    return user


def stock_shelf(showroom, product, units):
    stock.transfer(producer=product.producer, showroom=showroom, items=[stock.Item(product, units)],
                   notify_producer=False)
    return StockRecord.objects.get(partner=showroom.partner, product=product)


def open_shift(user, showroom, opening_float=Decimal(500000)):
    return shifts.open_shift(user=user, showroom=showroom, opening_float=opening_float)

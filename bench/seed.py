"""Products with known stock for the benches and the load run (bench/orders.py, bench/pos.py,
bench/notify_latency.py, bench/loadtest_world.py): one way to make them, so every figure is measured
on the same kind of catalogue row. Runs inside a child process that has called django.setup()."""
from __future__ import annotations

from decimal import Decimal

from oscar.core.loading import get_model


def _models():
    return (get_model("partner", "Partner"), get_model("catalogue", "Product"),
            get_model("catalogue", "ProductClass"), get_model("partner", "StockRecord"))


def product_class(slug: str = "bench", name: str = "Bench"):
    """A tracked, shippable product class (stock is allocated at checkout)."""
    _, _, ProductClass, _ = _models()
    kind, _ = ProductClass.objects.get_or_create(slug=slug, defaults={"name": name, "track_stock": True})
    return kind


def producer(code: str, name: str, *, users=(), kind: str = ""):
    """A producer (Oscar partner); `users` become its partner users (the producer portal's sign-in)."""
    Partner, _, _, _ = _models()
    partner, _ = Partner.objects.get_or_create(code=code, defaults={"name": name, **({"kind": kind} if kind else {})})
    if users:
        partner.users.add(*users)
    return partner


def producer_user(email: str, password: str):
    """A user who may open the producer portal (Oscar's partner dashboard permission)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(email.split("@")[0][:150], email, password)
    user.user_permissions.add(Permission.objects.get(codename="dashboard_access", content_type__app_label="partner"))
    return user


def stocked_product(partner, *, title: str, sku: str, stock: int, price: int | Decimal = 150000, upc: str | None = None,
                    kind=None, low_stock_threshold: int | None = None, public: bool = True):
    """One product made by `partner` with one stock record of `stock` units at `price` đồng."""
    _, Product, _, StockRecord = _models()
    product = Product.objects.create(title=title, product_class=kind or product_class(), upc=upc or sku,
                                     producer=partner, is_public=public)
    StockRecord.objects.create(product=product, partner=partner, partner_sku=sku, price=Decimal(price),
                               num_in_stock=stock, low_stock_threshold=low_stock_threshold)
    return product


def stocked_products(partner, count: int, *, title: str, sku_prefix: str, stock: int, price: int | Decimal = 150000,
                     upc_of=None, kind=None) -> list:
    """`count` products named "<title> <n>", SKUs "<sku_prefix>-<n>" (UPC the same unless `upc_of(n)`)."""
    return [stocked_product(partner, title=f"{title} {n}", sku=f"{sku_prefix}-{n}", stock=stock, price=price,
                            upc=upc_of(n) if upc_of else None, kind=kind)
            for n in range(count)]

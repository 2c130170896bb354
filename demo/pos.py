"""Demo step: the showrooms' shelves and counter staff.

Every showroom gets its stock partner; four of them receive goods from the producers by transfer
(the same path a real delivery takes; the demo producers first make that many more units, so
the online stock stays what demo/data.py says); each
of those has a cashier and a manager account. Idempotent: a showroom with a demo transfer is left as it is.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from pos import stock
from shop.partner import stock as ledger
from showrooms.models import Showroom, ShowroomStaff

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

CASHIER_PASSWORD = "ocop-cashier-2026"  # noqa: S105  (demo only, printed by load_demo)
MANAGER_PASSWORD = "ocop-manager-2026"  # noqa: S105
# showroom slug -> (account name part, how many products, units of each)
SHELVES = {
    "demo-moc-chau": ("moc-chau", 12, 8),
    "demo-to-hieu": ("to-hieu", 10, 6),
    "demo-ta-xua": ("ta-xua", 6, 5),
    "demo-van-ho": ("van-ho", 6, 5),
}


def _account(email, password, first_name, last_name):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(username=email.split("@")[0][:150], email=email, first_name=first_name, last_name=last_name)
        user.set_password(password)
        user.save()
    return user


def _shelf_products(count: int):
    """Tracked goods with a producer and free stock, in a stable order (by UPC)."""
    records = StockRecord.objects.filter(product__producer__isnull=False, product__product_class__requires_shipping=True)
    picked = []
    for record in records.select_related("product__producer").order_by("product__upc"):
        if record.partner_id == record.product.producer_id and record.net_stock_level >= 20:
            picked.append(record.product)
        if len(picked) == count:
            break
    return picked


def load(stdout=None) -> dict:
    accounts, transfers = [], 0
    for showroom in Showroom.objects.all():
        showroom.shelf_partner()
    for slug, (name, count, units) in SHELVES.items():
        showroom = Showroom.objects.filter(slug=slug).first()
        if showroom is None:
            continue
        # Stocked once: a second run must not pick other products from the reduced producer stock.
        products = [] if showroom.transfers_in.filter(reference__startswith="DEMO-").exists() else _shelf_products(count)
        by_producer = {}
        for product in products:
            by_producer.setdefault(product.producer, []).append(product)
        for producer, items in sorted(by_producer.items(), key=lambda kv: kv[0].code):
            reference = f"DEMO-{slug[5:]}-{producer.code}"[:64]
            # The producer made these units for the showroom: the online stock stays as demo/data.py says.
            for record in StockRecord.objects.filter(partner=producer, product__in=items).order_by("pk"):
                ledger.adjust(stockrecord=record, delta=units, actor=None, reason=ledger.Reason.RECEIVED,
                              note="Demo: made for the showroom")
            stock.transfer(producer=producer, showroom=showroom, reference=reference, notify_producer=False,
                           items=[stock.Item(p, units) for p in items], note="Demo")
            transfers += 1
        cashier = _account(f"thungan.{name}@ocop.demo", CASHIER_PASSWORD, "Thu ngân", showroom.name)
        manager = _account(f"quanly.{name}@ocop.demo", MANAGER_PASSWORD, "Quản lý", showroom.name)
        ShowroomStaff.objects.get_or_create(showroom=showroom, user=cashier, defaults={"role": ShowroomStaff.CASHIER})
        ShowroomStaff.objects.get_or_create(showroom=showroom, user=manager, defaults={"role": ShowroomStaff.MANAGER})
        accounts += [
            {"email": cashier.email, "password": CASHIER_PASSWORD, "role": "cashier", "producer": showroom.name},
            {"email": manager.email, "password": MANAGER_PASSWORD, "role": "manager", "producer": showroom.name},
        ]
    return {"shelf transfers": transfers, "accounts": accounts}

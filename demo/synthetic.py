"""Synthetic catalogue for benchmarks: N plausible OCOP products made with bulk inserts.

`Product.save()` does work per row (slug, attribute container, signals); at 100,000 products that
is minutes. Here each batch is three `bulk_create` calls (products, their category, their stock
record), so the cost is a few INSERT statements per thousand rows. What `save()` would have done is
done by hand: slug, structure, product class, dates (auto_now* fields are filled by bulk_create
itself), and Oscar's materialised category view is refreshed once at the end when it is in use.

Every synthetic product has a UPC `SYN-` + ten digits. A new run continues after the highest one
already in the database, so running the command again adds another N and never collides.
"""
from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import product as cartesian

from django.db import connection, transaction
from oscar.core.loading import get_model
from oscar.core.utils import slugify

from catalog_ext import badge_periods, rules
from catalog_ext.models import Certificate
from catalog_ext.search_text import remember_words
from core.text import fold
from shop.partner import stock as ledger

from .catalogue import ensure_categories, ensure_product_classes
from .data import CATEGORIES

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")

UPC_PREFIX = "SYN-"
UPC_DIGITS = 10
PARTNERS = 20


@dataclass(frozen=True)
class Kind:
    title: str
    category: str  # a category name made by demo.catalogue.ensure_categories
    price: int  # whole đồng, for the smallest pack
    packs: tuple[str, ...]


# Kinds of goods a Sơn La OCOP shop sells, each in the demo category a shopper would look in.
# (Tourism is left out: it is a service class with no stock to ship.)
KINDS = (
    Kind("Cà phê Arabica rang xay", "Cà phê", 120_000, ("gói 250 g", "gói 500 g", "hộp 1 kg")),
    Kind("Cà phê Arabica hạt rang", "Cà phê", 140_000, ("gói 250 g", "gói 500 g", "túi 1 kg")),
    Kind("Cà phê Arabica chồn", "Cà phê", 450_000, ("hộp 200 g", "hộp 500 g")),
    Kind("Chè Shan tuyết", "Chè", 180_000, ("hộp 100 g", "hộp 200 g", "túi 500 g")),
    Kind("Chè Ô long", "Chè", 220_000, ("hộp 100 g", "hộp 250 g")),
    Kind("Trà hoa vàng", "Chè", 350_000, ("hộp 50 g", "hộp 100 g")),
    Kind("Xoài tròn", "Trái cây tươi", 45_000, ("thùng 2 kg", "thùng 5 kg")),
    Kind("Mận hậu", "Trái cây tươi", 35_000, ("hộp 1 kg", "thùng 3 kg")),
    Kind("Cam đường canh", "Trái cây tươi", 40_000, ("túi 2 kg", "thùng 5 kg")),
    Kind("Bơ sáp", "Trái cây tươi", 50_000, ("hộp 1 kg", "thùng 3 kg")),
    Kind("Nhãn sấy khô", "Nông sản sấy khô", 120_000, ("túi 500 g", "hộp 1 kg")),
    Kind("Mận sấy dẻo", "Nông sản sấy khô", 90_000, ("túi 300 g", "hộp 500 g")),
    Kind("Măng khô", "Nông sản sấy khô", 150_000, ("túi 500 g", "túi 1 kg")),
    Kind("Thịt trâu gác bếp", "Thịt gác bếp", 280_000, ("gói 250 g", "gói 500 g")),
    Kind("Thịt lợn gác bếp", "Thịt gác bếp", 220_000, ("gói 250 g", "gói 500 g")),
    Kind("Lạp xưởng gác bếp", "Thịt gác bếp", 180_000, ("gói 500 g", "gói 1 kg")),
    Kind("Mật ong hoa ban", "Mật ong", 200_000, ("chai 350 ml", "chai 500 ml")),
    Kind("Mật ong rừng", "Mật ong", 300_000, ("chai 500 ml", "chai 1 lít")),
    Kind("Gạo nếp Tan", "Gạo và ngũ cốc", 45_000, ("túi 2 kg", "túi 5 kg")),
    Kind("Gạo Séng Cù", "Gạo và ngũ cốc", 35_000, ("túi 5 kg", "bao 10 kg")),
    Kind("Rượu mận", "Rượu và nước ép", 160_000, ("chai 500 ml", "bình 2 lít")),
    Kind("Nước ép chanh leo", "Rượu và nước ép", 60_000, ("chai 330 ml", "thùng 12 chai")),
    Kind("Giảo cổ lam", "Dược liệu", 120_000, ("túi 200 g", "túi 500 g")),
    Kind("Hà thủ ô đỏ", "Dược liệu", 250_000, ("túi 300 g", "túi 1 kg")),
    Kind("Tinh dầu sả chanh", "Tinh dầu", 90_000, ("lọ 10 ml", "lọ 50 ml")),
    Kind("Tinh dầu quế", "Tinh dầu", 110_000, ("lọ 10 ml", "lọ 50 ml")),
    Kind("Khăn piêu thổ cẩm", "Thổ cẩm", 350_000, ("khổ nhỏ", "khổ lớn")),
    Kind("Túi thổ cẩm", "Thổ cẩm", 250_000, ("cỡ nhỏ", "cỡ vừa")),
    Kind("Giỏ mây tre đan", "Đồ mây tre", 150_000, ("cỡ nhỏ", "bộ 3 chiếc")),
    Kind("Lan hài", "Lan rừng", 400_000, ("chậu nhỏ", "chậu lớn")),
    Kind("Lan phi điệp", "Lan rừng", 300_000, ("giò 50 cm", "giò 1 m")),
)

PLACES = (
    "Mộc Châu", "Yên Châu", "Thuận Châu", "Mai Sơn", "Sông Mã", "Phù Yên", "Bắc Yên", "Quỳnh Nhai",
    "Mường La", "Sốp Cộp", "Vân Hồ", "Chiềng Mai", "Tà Xùa", "Chiềng Khoong", "Nà Ka", "Tô Múa",
)

DESCRIPTION = (
    "{title}: sản phẩm mẫu của {place}, Sơn La, tạo tự động để thử tải cửa hàng. "
    "Quy cách {pack}. Sản xuất theo chu trình OCOP, nguồn gốc rõ ràng, bảo quản nơi khô ráo, "
    "thoáng mát. Thông tin này không phải của một sản phẩm có thật."
)


@dataclass(frozen=True)
class Variant:
    """One (kind, place, pack) combination: the text parts are slugified once, not per product."""

    kind: Kind
    place: str
    pack: str
    title: str
    slug: str
    price: int


def variants() -> list[Variant]:
    out = []
    for kind, place in cartesian(KINDS, PLACES):
        for size, pack in enumerate(kind.packs):
            title = f"{kind.title} {place} {pack}"
            # A bigger pack costs more; prices stay whole thousands of đồng.
            price = kind.price * (1 + size) + 1000 * (len(place) % 7)
            out.append(Variant(kind, place, pack, title, slugify(title), price))
    # A fixed shuffle: neighbouring numbers (a catalogue page) get different kinds, every run alike.
    random.Random(148).shuffle(out)
    return out


# OCOP group of each demo category (the products' `ocop_group`, which the catalogue filters on).
GROUP_OF_CATEGORY = {child: group for group, children in CATEGORIES.items() for child in children}
# Three products in four are certified, spread over the star bands like Sơn La's (OCOP.md: most
# 3★ and 4★, few 5★); the fourth is not rated. Certificates are DEMO- numbered like all demo data.
STAR_CYCLE = (3, 4, 3, None, 4, 3, 5, None, 3, 4, 3, None)
SCORE_OF = {3: 62, 4: 78, 5: 92}


def ensure_partners() -> list[Partner]:
    partners = []
    for i in range(1, PARTNERS + 1):
        partner, _ = Partner.objects.get_or_create(
            code=f"synthetic-{i:02d}", defaults={"name": f"Nhà sản xuất mẫu {i:02d}", "kind": "household"}
        )
        partners.append(partner)
    return partners


def next_number() -> int:
    """First free synthetic number: the UPCs are zero-padded, so the highest sorts last."""
    last = (
        Product.objects.filter(upc__startswith=UPC_PREFIX).order_by("-upc").values_list("upc", flat=True).first()
    )
    return int(last[len(UPC_PREFIX):]) + 1 if last else 1


def seed(count: int, *, batch: int = 5000, progress: Callable[[int, int], None] | None = None) -> dict:
    """Add `count` synthetic products; returns {"products", "first", "last", "seconds"}."""
    if count < 1 or batch < 1:
        raise ValueError("count and batch must be positive")
    started = time.monotonic()
    product_class = ensure_product_classes()["goods"]
    by_name = ensure_categories()
    partners = ensure_partners()
    pool = variants()
    # Resolve every variant's category up front: a kind naming no demo category fails here, at once.
    category_of = {kind.category: by_name[kind.category] for kind in KINDS}
    first = next_number()
    if first + count - 1 >= 10**UPC_DIGITS:
        raise ValueError(f"synthetic numbers would exceed {UPC_DIGITS} digits")

    done = 0
    while done < count:
        size = min(batch, count - done)
        numbers = range(first + done, first + done + size)
        # One transaction per batch: a batch is all-or-nothing (a product never lacks its stock
        # record), and an interrupted run keeps its finished batches, numbering continues after them.
        with transaction.atomic():
            _insert_batch(numbers, pool, product_class, category_of, partners)
        done += size
        if progress:
            progress(done, count)

    _refresh_category_view()
    _pack_search_rows()
    return {
        "products": count,
        "first": f"{UPC_PREFIX}{first:0{UPC_DIGITS}d}",
        "last": f"{UPC_PREFIX}{first + count - 1:0{UPC_DIGITS}d}",
        "seconds": time.monotonic() - started,
    }


def _insert_batch(numbers, pool, product_class, category_of, partners) -> None:
    products = []
    for n in numbers:
        v = pool[n % len(pool)]
        producer = partners[n % len(partners)]
        title = f"{v.title} (mẫu {n})"
        products.append(
            Product(
                producer=producer,
                ocop_group=GROUP_OF_CATEGORY[v.kind.category],
                # What Product.save() would have folded (no GI claim, no commune for these producers).
                search_text=fold(f"{title} {producer.name}"),
                structure=Product.STANDALONE,
                product_class=product_class,
                is_public=True,
                upc=f"{UPC_PREFIX}{n:0{UPC_DIGITS}d}",
                # The number makes title and slug unique (Product.save would have made the slug).
                title=title,
                slug=f"{v.slug}-mau-{n}",
                description=DESCRIPTION.format(title=v.title, place=v.place, pack=v.pack),
            )
        )
    # PostgreSQL and SQLite >= 3.35 hand the new primary keys back, which the links below need.
    Product.objects.bulk_create(products)
    remember_words(product.search_text for product in products)  # what Product.save() would have added
    links, records = [], []
    for n, product in zip(numbers, products, strict=True):
        v = pool[n % len(pool)]
        links.append(ProductCategory(product_id=product.pk, category=category_of[v.kind.category]))
        records.append(
            StockRecord(
                product_id=product.pk,
                partner=partners[n % len(partners)],
                partner_sku=product.upc,
                price=Decimal(v.price),
                num_in_stock=5 + n % 200,
                low_stock_threshold=3,
            )
        )
    ProductCategory.objects.bulk_create(links)
    StockRecord.objects.bulk_create(records)
    ledger.record_created_bulk(records)  # bulk_create skips save(): the ledger's first rows, in bulk too
    Certificate.objects.bulk_create(_certificates(numbers, products))
    badge_periods.refresh(product.pk for product in products)  # bulk_create sends no post_save


def _certificates(numbers, products) -> list[Certificate]:
    issued = rules.today().replace(day=1)
    out = []
    for n, product in zip(numbers, products, strict=True):
        stars = STAR_CYCLE[n % len(STAR_CYCLE)]
        if stars is None:
            continue
        central = stars == 5
        out.append(Certificate(
            product_id=product.pk, stars=stars, score=SCORE_OF[stars], number=f"DEMO-SYN-{n:0{UPC_DIGITS}d}",
            level="central" if central else "province",
            issuer="Bộ Nông nghiệp và Môi trường" if central else "UBND tỉnh Sơn La",
            issued_on=issued, expires_on=rules.default_expiry(issued)))
    return out


def _pack_search_rows() -> None:
    """A batch writes each product's search row three times in one transaction (the product's
    insert, then its stock record's and its badges' updates, through listing_searchrow's
    triggers), so no version can be pruned before the next is written: at 100,000 products the
    table ended 3.3x and its text index 2.5x the size of the same rows packed, and a broad search
    read that many more blocks. A shop that adds its products one at a time writes each in its own
    transaction, and the old versions are pruned in place. Packed once at the end, as that shop's
    table would be. PostgreSQL only, and only outside a transaction (VACUUM cannot run in one)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    connection.ensure_connection()
    kept: list[int] = []  # per pass: the dead versions VACUUM FULL had to copy (its VERBOSE report)

    def report(diagnostic):
        found = _KEPT.search(diagnostic.message_detail or "")
        if found:
            kept.append(int(found.group(1)))

    raw = connection.connection
    raw.add_notice_handler(report)
    try:
        with connection.cursor() as cursor:
            for _attempt in range(PACK_ATTEMPTS):
                _wait_for_older_snapshots(cursor)
                kept.clear()
                cursor.execute("VACUUM (FULL, VERBOSE) listing_searchrow")
                if not any(kept):  # (a server reporting in another language: one pass, as before)
                    break
            cursor.execute("ANALYZE listing_searchrow")
    finally:
        raw.remove_notice_handler(report)


PACK_WAIT_SECONDS = 30.0
# A snapshot may be taken between the wait and the pack (an autovacuum ANALYZE starting then): the
# pack's own report says whether it copied dead versions, and it is made again, a few times at most.
PACK_ATTEMPTS = 5
_KEPT = re.compile(r"(\d+) dead row versions cannot be removed yet")


def _wait_for_older_snapshots(cursor, seconds: float = PACK_WAIT_SECONDS) -> None:
    """VACUUM FULL copies every dead version a transaction of this database may still see: a
    snapshot taken while the batches ran (a reader's, an autovacuum ANALYZE's) would keep their old
    versions in the packed table (CI once found 41 blocks for a copy's 31). Wait until no other
    backend of this database holds a snapshot, for at most `seconds`, then pack anyway (a report
    left open for minutes must not stop the seeder: its table is only less packed)."""
    deadline = time.monotonic() + seconds
    while True:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL")
        if cursor.fetchone()[0] == 0 or time.monotonic() >= deadline:
            return
        time.sleep(0.1)


def _refresh_category_view() -> None:
    """bulk_create sends no post_save, so do once what Oscar's receiver does per ProductCategory."""
    from oscar.checks import use_productcategory_materialised_view

    if use_productcategory_materialised_view():
        with connection.cursor() as cursor:
            cursor.execute("REFRESH MATERIALIZED VIEW catalogue_product_category_hierarchy;")

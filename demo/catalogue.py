"""Load the Sơn La demo catalogue into Oscar: producers (partners), categories, products, stock,
pictures and demo accounts. Idempotent: every object is found by a stable key before it is made.
"""
from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from shop.staff_roles import office_group

from .data import ACCOUNTS, CATEGORIES, GROUPS, ITEMS, PRODUCERS, Item
from .images import product_card_png

Country = get_model("address", "Country")
Partner = get_model("partner", "Partner")
PartnerAddress = get_model("partner", "PartnerAddress")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")

GOODS_CLASS = "Sản phẩm OCOP"
SERVICE_CLASS = "Dịch vụ du lịch"


def ean13(code: str) -> str:
    """A stable EAN-13 for a demo SKU (prefix 893 is Vietnam's GS1 range; the rest is invented)."""
    digits = "893" + "".join(f"{ord(c) % 10}" for c in code.replace("-", ""))[:9].ljust(9, "0")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def ensure_country() -> Country:
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="VN",
        defaults={
            "iso_3166_1_a3": "VNM",
            "iso_3166_1_numeric": "704",
            "printable_name": "Việt Nam",
            "name": "Cộng hòa Xã hội Chủ nghĩa Việt Nam",
            "is_shipping_country": True,
        },
    )
    return country


def ensure_product_classes() -> dict[str, ProductClass]:
    goods, _ = ProductClass.objects.get_or_create(
        slug="ocop", defaults={"name": GOODS_CLASS, "requires_shipping": True, "track_stock": True}
    )
    service, _ = ProductClass.objects.get_or_create(
        slug="dich-vu", defaults={"name": SERVICE_CLASS, "requires_shipping": False, "track_stock": True}
    )
    # Shipping by weight reads the "weight" attribute (kg), as Oscar's Scale does.
    ProductAttribute.objects.get_or_create(
        product_class=goods, code="weight", defaults={"name": "Khối lượng (kg)", "type": "float"}
    )
    return {"goods": goods, "service": service}


def ensure_categories() -> dict[str, object]:
    by_name = {}
    for group, children in CATEGORIES.items():
        by_name[GROUPS[group]] = create_from_breadcrumbs(GROUPS[group])
        for child in children:
            by_name[child] = create_from_breadcrumbs(f"{GROUPS[group]} > {child}")
    return by_name


def ensure_producers(country: Country) -> dict[str, Partner]:
    partners = {}
    for producer in PRODUCERS:
        partner, _ = Partner.objects.get_or_create(code=producer.key, defaults={"name": producer.name})
        PartnerAddress.objects.get_or_create(
            partner=partner,
            defaults={
                "line1": producer.street,
                "line4": producer.ward,
                "state": "Sơn La",
                "country": country,
            },
        )
        partners[producer.key] = partner
    return partners


def ensure_product(item: Item, *, partner: Partner, classes, categories) -> Product:
    record = StockRecord.objects.filter(partner=partner, partner_sku=item.code).select_related("product").first()
    if record:
        return record.product
    product_class = classes["service"] if item.group == "tourism" else classes["goods"]
    product = Product(
        title=item.title,
        upc=ean13(item.code),
        description=item.description,
        product_class=product_class,
        structure=Product.STANDALONE,
        is_public=True,
    )
    if product_class == classes["goods"]:
        product.attr.weight = round(item.weight_g / 1000, 3)
    product.save()
    ProductCategory.objects.create(product=product, category=categories[item.category])
    StockRecord.objects.create(
        product=product,
        partner=partner,
        partner_sku=item.code,
        price=Decimal(item.price),
        num_in_stock=item.stock,
        low_stock_threshold=max(3, item.stock // 10),
    )
    image = ProductImage(product=product, caption=item.title, display_order=0)
    producer_name = partner.name
    image.original.save(f"demo-{item.code.lower()}.png", ContentFile(product_card_png(item.title, item.group, producer_name)), save=False)
    image.save()
    return product


def ensure_accounts(partners: dict[str, Partner]) -> list[dict]:
    User = get_user_model()
    dashboard_access = Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    printed = []
    for account in ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User(
                username=account.email.split("@")[0][:150],
                email=account.email,
                first_name=account.first_name,
                last_name=account.last_name,
            )
            user.set_password(account.password)
            if account.role == "office":
                user.is_staff = user.is_superuser = True
            user.is_staff = user.is_staff or account.role == "office-staff"
            user.save()
        if account.role == "office-staff":  # an office account that is not a superuser
            user.groups.add(office_group())
        if account.role == "producer":
            user.user_permissions.add(dashboard_access)
            partners[account.producer].users.add(user)
        printed.append({"email": account.email, "password": account.password, "role": account.role,
                        "producer": partners[account.producer].name if account.producer else ""})
    return printed


def load(stdout=None) -> dict:
    """Load (or top up) the foundation demo catalogue. Returns what was loaded, for printing."""
    country = ensure_country()
    classes = ensure_product_classes()
    categories = ensure_categories()
    partners = ensure_producers(country)
    for item in ITEMS:
        ensure_product(item, partner=partners[item.producer], classes=classes, categories=categories)
    accounts = ensure_accounts(partners)
    return {"producers": len(partners), "products": len(ITEMS), "accounts": accounts}

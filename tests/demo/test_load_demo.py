"""`load_demo` gives a realistic Sơn La catalogue and is idempotent."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from oscar.core.loading import get_model
from PIL import Image

from demo.data import GROUPS, ITEMS
from demo.steps import STEPS

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


def counts():
    return {
        "products": Product.objects.count(),
        "partners": Partner.objects.count(),
        "stock": StockRecord.objects.count(),
        "images": ProductImage.objects.count(),
        "categories": Category.objects.count(),
        "users": get_user_model().objects.count(),
        "partner_users": Partner.users.through.objects.count(),
        **{model._meta.label: model.objects.count() for model in _extra_models()},
    }


def _extra_models():
    """Models of every app the demo loads into, so a later step's data is counted too."""
    from django.apps import apps

    labels = {"catalog_ext", "showrooms", "pos", "producers"}
    return [m for m in apps.get_models() if m._meta.app_label in labels]


def test_load_demo_twice_changes_nothing():
    before = counts()  # the session fixture has loaded the demo once already
    call_command("load_demo", "--quiet-accounts", verbosity=0)
    assert counts() == before


def test_demo_catalogue_is_big_enough_and_covers_every_group():
    assert Partner.objects.count() >= 12
    assert Product.objects.filter(is_public=True).count() >= 40
    groups = {Category.objects.get(depth=1, name=name).name for name in GROUPS.values()}
    assert len(groups) == 6
    for name in GROUPS.values():
        root = Category.objects.get(depth=1, name=name)
        assert Product.objects.filter(categories__in=root.get_descendants_and_self()).exists(), name


def test_every_demo_product_has_price_stock_description_and_a_real_picture():
    for item in ITEMS:
        record = StockRecord.objects.select_related("product").get(partner_sku=item.code)
        product = record.product
        assert record.price == item.price and record.price == record.price.to_integral_value()
        assert record.num_in_stock == item.stock > 0
        assert product.description
        image = product.primary_image()
        assert getattr(image, "original", None), f"{product} has no picture"
        with Image.open(image.original.path) as picture:
            picture.verify()  # a broken file raises here


def test_demo_accounts_can_sign_in(client):
    from demo.data import ACCOUNTS

    for account in ACCOUNTS:
        assert client.login(username=account.email, password=account.password), account.email
        client.logout()
    producer = get_user_model().objects.get(email="htx.chiengmai@ocop.demo")
    assert producer.partners.get().name == "HTX Cà phê Chiềng Mai"
    assert producer.has_perm("partner.dashboard_access")


def test_load_demo_prints_accounts(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "admin@ocop.demo" in out and "ocop-admin-2026" in out
    assert all(step in out for step in STEPS)


def test_no_invented_certificate_number_looks_real():
    """OCOP.md: demo certificate numbers are visibly fictitious."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.fields:
            if field.name in {"number", "certificate_number"} and model._meta.app_label == "catalog_ext":
                for value in model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    assert value.startswith("DEMO-"), value  # (a badge period of a GI tag alone has none)

"""`seed_catalogue` adds N browsable Oscar products quickly, and can be run again."""
import io

import pytest
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from demo import synthetic
from demo.catalogue import ensure_categories

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def seed(n, *extra):
    out = io.StringIO()
    call_command("seed_catalogue", "--products", str(n), *extra, stdout=out)
    return out.getvalue()


def synthetic_products():
    return Product.objects.filter(upc__startswith=synthetic.UPC_PREFIX)


def test_seeding_500_gives_500_browsable_products_with_stock_and_category(client):
    browsable = Product.objects.browsable().count()
    out = seed(500, "--batch", "200")
    assert "… 200/500" in out and "… 500/500" in out
    assert "Seeded 500 synthetic products" in out

    assert Product.objects.browsable().count() == browsable + 500
    seeded = synthetic_products()
    assert seeded.count() == 500
    assert StockRecord.objects.filter(product__in=seeded).count() == 500
    assert ProductCategory.objects.filter(product__in=seeded).count() == 500
    assert not seeded.filter(stockrecords__isnull=True).exists()
    assert not seeded.filter(categories__isnull=True).exists()
    assert seeded.values("slug").distinct().count() == 500
    assert {p.structure for p in seeded} == {Product.STANDALONE}
    assert seeded.filter(date_created__isnull=True).count() == 0

    demo_categories = {c.pk for c in ensure_categories().values()}
    used = set(ProductCategory.objects.filter(product__in=seeded).values_list("category_id", flat=True))
    assert used <= demo_categories and len(used) > 5  # spread over the demo's own categories
    prices = StockRecord.objects.filter(product__in=seeded).values_list("price", flat=True)
    assert all(p == p.to_integral_value() and p > 0 for p in prices)  # whole đồng
    assert StockRecord.objects.filter(product__in=seeded).values("partner").distinct().count() > 1

    newest = seeded.order_by("-pk").first()
    body = client.get("/catalogue/").content.decode()
    assert newest.title in body
    response = client.get(newest.get_absolute_url())
    assert response.status_code == 200
    assert newest.title in response.content.decode()


def test_second_run_adds_more_without_collisions():
    seed(30)
    before = synthetic_products().count()
    seed(30, "--batch", "7")
    assert synthetic_products().count() == before + 30
    assert synthetic_products().values("upc").distinct().count() == before + 30


@pytest.mark.parametrize("args", [("--products", "0"), ("--products", "-5"), ("--products", "10", "--batch", "0")])
def test_bad_input_is_a_clear_command_error(args):
    with pytest.raises(CommandError, match="positive whole number"):
        call_command("seed_catalogue", *args)


def test_every_kind_is_filed_under_an_existing_demo_category():
    names = set(ensure_categories())
    assert {kind.category for kind in synthetic.KINDS} <= names


def test_seeded_products_carry_ocop_facts_search_text_and_demo_certificates():
    from catalog_ext.badges import badges_for
    from catalog_ext.models import Certificate
    from core.text import fold

    seed(120)
    seeded = list(synthetic_products().select_related("producer"))
    assert all(p.producer_id and p.ocop_group for p in seeded)
    sample = seeded[0]
    assert sample.search_text == fold(f"{sample.title} {sample.producer.name}")
    certified = Certificate.objects.filter(product__in=seeded)
    assert 80 <= certified.count() <= 100  # three in four
    assert not certified.exclude(number__startswith="DEMO-").exists()
    for cert in certified[:20]:
        cert.full_clean()  # each obeys the OCOP rules (band, council level, dates)
        assert badges_for(cert.product).stars == cert.stars


def test_the_planner_knows_the_new_size_after_seeding():
    """A bulk seed leaves the query planner's statistics stale until autovacuum gets round to it
    (`make bench` measured searches at 2 s instead of 45 ms on PostgreSQL at 100,000 products):
    the command refreshes them itself."""
    from django.db import connection

    seed(300)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'catalogue_product'")
            assert cursor.fetchone()[0] >= Product.objects.count()
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'catalogue_product' AND idx IS NULL"
                           " OR tbl = 'catalogue_product' LIMIT 1")
            row = cursor.fetchone()
            assert row is not None and int(row[0].split()[0]) >= Product.objects.count()

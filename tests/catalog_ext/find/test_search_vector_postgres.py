"""On PostgreSQL the full-text vector is a stored column (migration catalog_ext 0005): it must
follow search_text however a product's text changes, or a search would find stale words."""
import pytest
from django.db import connection
from oscar.core.loading import get_model

from catalog_ext.models import GeographicalIndication
from demo import synthetic

from .helpers import add_products, titles

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def stale_vectors() -> int:
    """Products whose stored vector is not the vector of their folded text today."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM catalogue_product WHERE search_vector IS DISTINCT FROM"
                       " to_tsvector('simple'::regconfig, COALESCE(search_text, ''))")
        return cursor.fetchone()[0]


def test_the_stored_column_and_its_index_exist_and_the_old_expression_index_is_gone():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'catalogue_product'")
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT is_generated FROM information_schema.columns"
                       " WHERE table_name = 'catalogue_product' AND column_name = 'search_vector'")
        assert cursor.fetchone() == ("ALWAYS",)
    assert {"catalogue_product_search_trgm", "catalogue_product_search_vector"} <= names
    assert "catalogue_product_search_fts" not in names
    assert stale_vectors() == 0  # the demo, loaded through save()


def test_a_renamed_product_is_found_by_its_new_title_only(client):
    product = add_products(1, title="Trà túi lọc")[0]
    assert "Trà túi lọc 0" in titles(client, "/search/?q=tra+tui+loc")
    product.title = "Mứt gừng dẻo"
    product.save()
    assert titles(client, "/search/?q=mut+gung") == ["Mứt gừng dẻo"]
    assert "Mứt gừng dẻo" not in titles(client, "/search/?q=tra+tui+loc")
    assert stale_vectors() == 0


def test_a_renamed_producer_is_found_by_its_new_name_only(client):
    # given a producer whose products search finds by its name
    producer = Partner.objects.get(code="chieng-mai-coffee")
    products = set(producer.produced_products.values_list("title", flat=True))
    assert products and products <= set(titles(client, "/search/?q=" + producer.name))
    # when the office renames it (Partner.save refreshes its products with one bulk_update)
    producer.name = "Hợp tác xã Núi Xanh"
    producer.save()
    # then its products are found by the new name, and no longer by the old one alone
    assert set(titles(client, "/search/?q=nui+xanh")) == products
    assert stale_vectors() == 0


def test_a_producer_moving_commune_is_found_by_the_new_commune(client):
    from core.places import son_la_wards, ward_name

    producer = Partner.objects.get(code="chieng-mai-coffee")
    new_code, new_name = next((c, n) for c, n in son_la_wards() if c != producer.ward_code and len(n) > 6)
    producer.ward_code = new_code
    producer.save()
    assert ward_name(new_code) == new_name
    products = set(producer.produced_products.values_list("title", flat=True))
    assert products <= set(titles(client, "/search/?q=" + new_name))
    assert stale_vectors() == 0


def test_a_renamed_gi_is_found_by_its_new_name(client):
    gi = GeographicalIndication.objects.filter(products__isnull=False).distinct().first()
    products = set(gi.products.values_list("title", flat=True))
    gi.name = "Vùng chè Đỉnh Mây"
    gi.save()
    assert products <= set(titles(client, "/search/?q=dinh+may"))
    assert stale_vectors() == 0


def test_bulk_created_and_bulk_updated_products_are_found(client):
    # seed_catalogue's path: bulk_create with search_text filled by hand
    synthetic.seed(3, batch=2)
    assert len(titles(client, "/search/?q=mau")) >= 3
    # a bulk update, and a plain UPDATE, of the folded text
    first, second = Product.objects.filter(upc__startswith=synthetic.UPC_PREFIX).order_by("pk")[:2]
    first.search_text = "zqxw ykvu"
    Product.objects.bulk_update([first], ["search_text"])
    Product.objects.filter(pk=second.pk).update(search_text="ywqz jxkv")
    assert titles(client, "/search/?q=zqxw+ykvu") == [first.title]
    assert titles(client, "/search/?q=ywqz") == [second.title]
    assert stale_vectors() == 0

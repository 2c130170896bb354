"""The basket and the checkout's review list their lines with a photo each: the lines' thumbnails are
read from sorl's cache in one read for the page (shop/thumbnails.read_ahead), not one round trip per
line (10 Redis reads for a basket of 10 lines, issue 21), and the page shows the same pictures."""
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from oscar.core.loading import get_model
from sorl.thumbnail import get_thumbnail
from sorl.thumbnail.kvstores.base import add_prefix
from sorl.thumbnail.kvstores.cached_db_kvstore import KVStore

from tests.shop.test_image_bombs import small_png
from tests.speed.test_query_counts_by_size import _web_skus

pytestmark = pytest.mark.django_db
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def basket_of_photos(client, django_capture_on_commit_callbacks):
    """A basket of three lines whose products each have one photo (its thumbnails made inline)."""
    products = [StockRecord.objects.get(partner_sku=sku).product for sku in _web_skus(3)]
    for n, product in enumerate(products):
        ProductImage.objects.filter(product=product).delete()
        with django_capture_on_commit_callbacks(execute=True):
            photo = ProductImage(product=product, display_order=0)
            photo.original.save(f"anh-{n}.png", ContentFile(small_png()), save=True)
        assert client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}).status_code == 302
    return products


@pytest.fixture
def single_reads(monkeypatch):
    """The thumbnails sorl's store was asked for one at a time."""
    asked = []
    original = KVStore._get_raw

    def counted(self, key):
        asked.append(key)
        return original(self, key)

    monkeypatch.setattr(KVStore, "_get_raw", counted)
    return asked


def test_the_basket_reads_its_lines_thumbnails_at_once_and_shows_them(client, basket_of_photos, single_reads):
    client.get(reverse("basket:summary"))  # the first view makes the 100×100 thumbnails (tasks inline)
    single_reads.clear()

    html = client.get(reverse("basket:summary")).content.decode()

    assert [key for key in single_reads if "||image||" in key] == []
    for product in basket_of_photos:
        made = get_thumbnail(product.primary_image().original, "100x100", upscale=False)
        assert f'src="{made.url}"' in html


def test_a_thumbnail_not_in_the_cache_is_still_shown(client, basket_of_photos, single_reads):
    """Read ahead is only what the cache holds: a thumbnail it lost is looked up as before (sorl's
    database table) and shown the same."""
    from django.core.cache import cache

    client.get(reverse("basket:summary"))
    lost = basket_of_photos[0]
    made = get_thumbnail(lost.primary_image().original, "100x100", upscale=False)
    cache.delete(add_prefix(made.key))
    single_reads.clear()

    html = client.get(reverse("basket:summary")).content.decode()

    assert len([key for key in single_reads if "||image||" in key]) == 1
    assert f'src="{made.url}"' in html

"""Image bombs (issue 20): a small file that decodes to 12000×12000 pixels is refused at upload
with a clear message, and no page ever makes a thumbnail: the worker does, within the limits."""
from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.utils import translation
from oscar.core.loading import get_model
from PIL import Image

from core.images import LimitedImageField
from shop import tasks, thumbnails
from tests.audit.formdata import form_data
from tests.catalog_ext.storefront.helpers import product

pytestmark = pytest.mark.django_db
ProductImage = get_model("catalogue", "ProductImage")


@pytest.fixture(scope="session")
def bomb_png() -> bytes:
    """A 1-bit PNG of 12000×12000 pixels: a few KB on disk, 144 million pixels decoded."""
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG", optimize=True)
    data = out.getvalue()
    assert len(data) < 50_000
    return data


def small_png(size=(300, 300), noise=False) -> bytes:
    out = io.BytesIO()
    image = Image.effect_noise(size, 60).convert("RGB") if noise else Image.new("RGB", size, (200, 120, 40))
    image.save(out, "PNG")
    return out.getvalue()


def test_pillow_refuses_past_the_limit_everywhere(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.OCOP_MAX_IMAGE_PIXELS


def test_the_form_field_refuses_the_bomb_in_vietnamese(bomb_png):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        LimitedImageField().clean(SimpleUploadedFile("anh.png", bomb_png, "image/png"))
    message = refused.value.messages[0]
    assert "quá lớn" in message and "40 triệu điểm ảnh" in message, message


def test_the_form_field_refuses_too_many_bytes(settings):
    settings.OCOP_MAX_IMAGE_BYTES = 10_000
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        LimitedImageField().clean(SimpleUploadedFile("anh.png", small_png(noise=True), "image/png"))
    assert "tối đa là" in refused.value.messages[0], refused.value.messages[0]


def test_a_normal_photo_passes():
    assert LimitedImageField().clean(SimpleUploadedFile("anh.png", small_png(), "image/png"))


def test_every_image_field_of_every_model_gets_the_limits():
    fields = [f for m in apps.get_models() for f in m._meta.get_fields() if isinstance(f, models.ImageField)]
    assert fields  # product photos, category images, producer logos, …
    assert all(isinstance(f.formfield(), LimitedImageField) for f in fields), fields


@pytest.mark.parametrize("email", ["admin@ocop.demo", "mocchau.tea@ocop.demo"])
def test_the_dashboard_and_producer_photo_upload_refuses_the_bomb(email, bomb_png):
    """The office and producers both upload product photos on the dashboard's product page."""
    tea = product("CF-001") if email == "admin@ocop.demo" else get_model("catalogue", "Product").objects.filter(
        producer__users__email=email).first()
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    url = f"/dashboard/catalogue/products/{tea.pk}/"
    data = form_data(client.get(url).content.decode(), "create_update_product_form")
    n = next(i for i in range(50) if f"images-{i}-id" in data and not data[f"images-{i}-id"]) \
        if any(k.startswith("images-") and k.endswith("-id") and not v for k, v in data.items()) else None
    assert n is not None, "the product page offers an empty photo slot"
    data[f"images-{n}-original"] = SimpleUploadedFile("bom.png", bomb_png, "image/png")
    photos = ProductImage.objects.filter(product=tea).count()

    with translation.override("vi"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 200  # the form again, with the message
    assert "Ảnh này quá lớn" in response.content.decode()
    assert ProductImage.objects.filter(product=tea).count() == photos


def _store_photo(tea, content: bytes, name: str) -> ProductImage:
    """A photo row written around the form (an import, or one uploaded before the limit)."""
    photo = ProductImage(product=tea, display_order=9)
    photo.original.save(name, ContentFile(content), save=False)
    ProductImage.objects.bulk_create([photo])  # no post_save: nothing is queued ahead
    return ProductImage.objects.filter(product=tea, display_order=9).get()


@pytest.fixture
def worker_elsewhere(monkeypatch):
    """Tasks go to a broker (as in production) instead of running inline: record them."""
    queued = []
    monkeypatch.setattr(tasks.make_thumbnail, "delay", lambda *args: queued.append(args))
    from django.core.cache import cache
    cache.clear()
    return queued


@pytest.fixture
def no_decoding_on_pages(monkeypatch):
    """Fails the test if anything decodes a picture's pixels while a page is served."""
    from sorl.thumbnail import default

    def refuse(*args, **kwargs):
        raise AssertionError("a page decoded a picture")

    monkeypatch.setattr(default.engine, "get_image", refuse)


def test_a_page_never_makes_a_thumbnail_it_shows_the_placeholder_and_queues_it(bomb_png, worker_elsewhere,
                                                                               no_decoding_on_pages):
    tea = product("CF-001")
    ProductImage.objects.filter(product=tea).delete()
    photo = _store_photo(tea, bomb_png, "bom.png")

    response = Client().get(tea.get_absolute_url())

    assert response.status_code == 200
    assert "placeholder-product.svg" in response.content.decode()
    assert {args[0] for args in worker_elsewhere} == {photo.original.name}


def test_the_worker_refuses_to_decode_the_bomb(bomb_png, monkeypatch, caplog):
    tea = product("CF-001")
    photo = _store_photo(tea, bomb_png, "bom2.png")
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.size))
    geometry, options = thumbnails.product_photo_options(240)

    assert thumbnails.make(photo.original.name, geometry, options) is None
    assert thumbnails.make(photo.original.name, geometry, options,
                           thumbnails.ImageFile(photo.original).serialize_storage()) is None
    assert decoded == [] and "over the limit" in caplog.text


def test_a_saved_photo_has_its_thumbnails_made_ahead_and_pages_only_read_them(django_capture_on_commit_callbacks,
                                                                              monkeypatch):
    tea = product("CF-001")
    ProductImage.objects.filter(product=tea).delete()
    with django_capture_on_commit_callbacks(execute=True):
        photo = ProductImage(product=tea, display_order=0)
        photo.original.save("tra.png", ContentFile(small_png()), save=True)  # tasks inline in tests

    from sorl.thumbnail import default
    monkeypatch.setattr(default.engine, "get_image", lambda *a, **k: pytest.fail("a page decoded a picture"))
    html = Client().get(tea.get_absolute_url()).content.decode()
    assert "placeholder-product.svg" not in html.split('class="product-description"')[0].split("<main")[-1]
    assert "/media/cache/" in html

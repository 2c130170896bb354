"""A photo's file goes with its row only when the deletion is committed.

Oscar deleted a product photo's (or a category image's) file and thumbnails in post_delete, at
once (OSCAR_DELETE_IMAGE_FILES): a transaction rolled back afterwards — a refused dashboard form,
a request that failed after the delete, the bad-input crawl's savepoints — kept the row and lost
its file, so the product showed a broken picture for good. Found when the crawl (an admin delete
as the superuser, rolled back) ran before tests/demo/test_load_demo.py on the same worker."""
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model
from PIL import Image

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")


def png() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "green").save(out, "PNG")
    return ContentFile(out.getvalue(), name="test-photo.png")


def new_photo():
    product = Product.objects.filter(structure="standalone").order_by("pk").first()
    return ProductImage.objects.create(product=product, original=png(), display_order=9)


def test_a_photo_deleted_in_a_transaction_rolled_back_keeps_its_file(django_capture_on_commit_callbacks):
    photo = new_photo()
    path = photo.original.path
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            ProductImage.objects.get(pk=photo.pk).delete()
            transaction.set_rollback(True)
    assert ProductImage.objects.filter(pk=photo.pk).exists()
    assert os.path.exists(path)
    os.remove(path)


def test_a_photo_whose_deletion_is_committed_loses_its_file(django_capture_on_commit_callbacks):
    photo = new_photo()
    path = photo.original.path
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ProductImage.objects.get(pk=photo.pk).delete()
        assert os.path.exists(path), "the file went before the commit"
    for callback in callbacks:
        callback()
    assert not os.path.exists(path)


def test_a_category_image_deleted_and_rolled_back_keeps_its_file(django_capture_on_commit_callbacks):
    category = Category.add_root(name="Ảnh thử", image=png())
    path = category.image.path
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            Category.objects.get(pk=category.pk).delete()
            transaction.set_rollback(True)
    assert os.path.exists(path)
    os.remove(path)

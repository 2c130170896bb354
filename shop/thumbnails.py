"""Thumbnails made ahead of time, never first on a shopper's page (issue 20, image bombs: the first
view of a product with a 12000×12000 photo took 7 s and 750 MB in the web worker).

sorl-thumbnail (Oscar's thumbnailer) makes a missing thumbnail inside whatever asked for it, a page
included. This backend (settings.THUMBNAIL_BACKEND) serves only thumbnails already made (sorl's
key-value store says so, one cached lookup); a missing one is handed to the Celery task
`shop.tasks.make_thumbnail` and the page shows the placeholder picture meanwhile. The task makes it
within the limits: a source over OCOP_MAX_IMAGE_PIXELS (read from its header) is never decoded.
A product photo's usual sizes are queued as soon as it is saved (connect()), so the first page
view normally finds them made. Without a broker (development, tests) tasks run inline, so a miss
is made at once, still within the limits.
"""
from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from django.core.cache import cache
from django.db import transaction
from django.templatetags.static import static
from sorl.thumbnail import default
from sorl.thumbnail.base import ThumbnailBackend
from sorl.thumbnail.conf import defaults as default_settings
from sorl.thumbnail.conf import settings as sorl_settings
from sorl.thumbnail.images import ImageFile

logger = logging.getLogger(__name__)
PLACEHOLDER = "ocop/placeholder-product.svg"
# Widths drawn for each place a product photo appears: 1× and 2× of the largest CSS width it gets.
WIDTHS = {"card": (240, 480), "main": (480, 960), "thumb": (96, 192)}
QUALITY = 82
QUEUED_SECONDS = 300  # one task per missing thumbnail at a time, however many pages ask
_making: ContextVar[bool] = ContextVar("ocop_thumbnail_making", default=False)
# thumbnail key → the made thumbnail, read ahead in one cache round trip for a page's lines (read_ahead)
_read_ahead: ContextVar[dict | None] = ContextVar("ocop_thumbnails_read_ahead", default=None)


@lru_cache(maxsize=1)
def image_format() -> str:
    from PIL import features

    return "WEBP" if features.check("webp") else "JPEG"


def product_photo_options(width: int) -> tuple[str, dict]:
    """(geometry, options) of a product photo's square thumbnail of this width (storefront/images.py)."""
    return f"{width}x{width}", {"crop": "center", "upscale": False, "format": image_format(), "quality": QUALITY}


class PendingThumbnail:
    """What a page gets for a thumbnail not made yet: the placeholder picture, at the asked size."""

    pending = True

    def __init__(self, geometry_string: str):
        width, _, height = geometry_string.partition("x")
        self.width = int(width or height or 0)
        self.height = int(height or width or 0)
        self.url = static(PLACEHOLDER)
        self.name = PLACEHOLDER

    def exists(self) -> bool:
        return False

    @property
    def is_portrait(self) -> bool:
        return self.height > self.width

    @property
    def x(self):
        return self.width

    @property
    def y(self):
        return self.height


class AheadOfTimeBackend(ThumbnailBackend):
    def _thumbnail_for(self, file_, geometry_string, options):
        """sorl's own naming (base.ThumbnailBackend.get_thumbnail's first half): the same file name."""
        source = ImageFile(file_)
        options = dict(options)
        if sorl_settings.THUMBNAIL_PRESERVE_FORMAT:
            options.setdefault("format", self._get_format(source))
        for key, value in self.default_options.items():
            options.setdefault(key, value)
        for key, attr in self.extra_options:
            value = getattr(sorl_settings, attr)
            if value != getattr(default_settings, attr):
                options.setdefault(key, value)
        return ImageFile(self._get_thumbnail_filename(source, geometry_string, options), default.storage)

    def get_thumbnail(self, file_, geometry_string, **options):
        if _making.get():
            return super().get_thumbnail(file_, geometry_string, **options)
        if not file_:
            raise ValueError("falsey file_ argument in get_thumbnail()")
        ahead = _read_ahead.get()
        if ahead and (read := ahead.get(_ahead_key(file_, geometry_string, options))):
            return read
        made = self._made(file_, geometry_string, options)
        if made:
            return made
        source = ImageFile(file_)
        queue(source.name, geometry_string, options, storage=source.serialize_storage())
        return self._made(file_, geometry_string, options) or PendingThumbnail(geometry_string)  # inline tasks

    def _made(self, file_, geometry_string, options):
        """The thumbnail when sorl's key-value store knows it, on the thumbnail storage sorl writes to
        (the store keeps only the storage's class, not its settings: a bucket's would be lost)."""
        thumbnail = self._thumbnail_for(file_, geometry_string, options)
        made = default.kvstore.get(thumbnail)
        if not made:
            return None
        thumbnail.set_size(made.size)
        return thumbnail


def primary_image(product, missing: dict | None = None):
    """`product.primary_image()`, read from the product's prefetched photos when it can be (Oscar's
    all_lines prefetches them; `primary_image()` builds two related managers and a queryset slice a
    call): the first of them (kept in `display_order`). A product without a photo: Oscar's placeholder
    dict, asked of the product once per product class when `missing` (a page's dict) is given (each
    `get_missing_image()` looks for the placeholder's file on disk), a copy each time. Anything unusual
    (a variant, which may show its parent's photos; photos not prefetched; another `primary_image`,
    `get_all_images` or `get_missing_image`; photos not kept in display order): the product's own
    `primary_image()`. Shared by the basket's and the checkout's rows and the read-ahead (issue 21)."""
    from oscar.apps.catalogue.abstract_models import AbstractProduct

    images = getattr(product, "_prefetched_objects_cache", {}).get("images")
    kind = type(product)
    if (images is None or images._result_cache is None or product.is_child
            or kind.primary_image is not AbstractProduct.primary_image
            or kind.get_all_images is not AbstractProduct.get_all_images
            or kind.get_missing_image is not AbstractProduct.get_missing_image
            or (images.model._meta.ordering or [None])[0] != "display_order"):
        return product.primary_image()
    if images._result_cache:
        return images._result_cache[0]
    if missing is None:
        return product.primary_image()
    if kind not in missing:
        missing[kind] = product.primary_image()
    return dict(missing[kind])


@contextmanager
def read_ahead(files, geometry_string: str, **options):
    """Within it, the thumbnails of these files at this size come from ONE read of sorl's cache
    (get_many) instead of one round trip each: a basket or an order of 10 lines asked Redis 10
    times. Only what the cache holds is read ahead; a thumbnail it does not know (not made yet,
    or only in sorl's database table) takes the usual path, so pages show exactly the same."""
    from sorl.thumbnail.images import deserialize_image_file
    from sorl.thumbnail.kvstores.base import add_prefix

    store, backend = default.kvstore, default.backend
    wanted = {}  # raw cache key → (our key, the thumbnail sorl would name)
    if isinstance(backend, AheadOfTimeBackend) and hasattr(store, "cache"):  # sorl's cached_db store
        asked = set()  # one source on several lines (the placeholder of every line without a photo): named once
        for file_ in files:
            if file_ and (key := _ahead_key(file_, geometry_string, options)) not in asked:
                asked.add(key)
                thumbnail = backend._thumbnail_for(file_, geometry_string, options)
                wanted[add_prefix(thumbnail.key)] = (key, thumbnail)
    found = {}
    if wanted:
        for raw_key, value in store.cache.get_many(list(wanted)).items():
            if isinstance(value, str) and value:  # (a miss is cached as sorl's EMPTY_VALUE class)
                key, thumbnail = wanted[raw_key]
                thumbnail.set_size(deserialize_image_file(value).size)
                found[key] = thumbnail
    token = _read_ahead.set({**(_read_ahead.get() or {}), **found})
    try:
        yield
    finally:
        _read_ahead.reset(token)


def _ahead_key(file_, geometry_string: str, options: dict) -> tuple:
    return (getattr(file_, "name", file_), geometry_string, repr(sorted(options.items())))


def queue(name: str, geometry_string: str, options: dict, *, storage: str | None = None) -> None:
    """Hand one thumbnail to the worker, once per QUEUED_SECONDS however many pages ask. `storage`
    (sorl's serialised storage of the source) keeps the thumbnail's name the one pages look up."""
    from .tasks import make_thumbnail

    facts = repr((name, storage, geometry_string, sorted(options.items())))
    if cache.add("ocop:thumb:queued:" + hashlib.sha1(facts.encode()).hexdigest(), 1, QUEUED_SECONDS):
        make_thumbnail.delay(name, geometry_string, options, storage)


def make(name: str, geometry_string: str, options: dict, storage: str | None = None):
    """Make one thumbnail (the task's body), refusing a source over the pixel limit undecoded."""
    from django.core.files.storage import default_storage
    from PIL import Image
    from sorl.thumbnail.images import get_or_create_storage

    from core.images import max_pixels

    # The shop's photos live on the default storage (configured from STORAGES: a bucket's options
    # come with it); sorl rebuilds any other storage from its class.
    if not storage or storage == ImageFile(name, default_storage).serialize_storage():
        source = ImageFile(name, default_storage)
    else:
        source = ImageFile(name, get_or_create_storage(storage))
    try:
        with source.storage.open(source.name) as stream, Image.open(stream) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        width = height = None
    except (OSError, ValueError):
        logger.warning("No thumbnail of %s: the file is missing or no picture", name)
        return None
    if width is None or width * height > max_pixels():
        logger.warning("No thumbnail of %s: %s pixels is over the limit", name,
                       f"{width}×{height}" if width else "far")
        return None
    token = _making.set(True)
    try:
        return default.backend.get_thumbnail(source, geometry_string, **options)
    finally:
        _making.reset(token)


def queue_product_photo(image) -> None:
    """Every size the storefront shows of this product photo, made by the worker after the commit."""
    if not image.original.name:
        return
    source = ImageFile(image.original)
    name, storage = source.name, source.serialize_storage()
    for widths in WIDTHS.values():
        for width in widths:
            geometry, options = product_photo_options(width)
            transaction.on_commit(lambda g=geometry, o=options: queue(name, g, o, storage=storage))


def _photo_saved(sender, instance, **kwargs):
    queue_product_photo(instance)


def _image_deleted(sender, instance, **kwargs):
    """A photo's file and its thumbnails go once the row's deletion is committed. Oscar deleted them
    in post_delete at once (OSCAR_DELETE_IMAGE_FILES, off in settings): a transaction rolled back
    afterwards kept the row and lost its file (tests/shop/test_photo_files.py)."""
    from django.db import models
    from oscar.core.thumbnails import get_thumbnailer

    files = [getattr(instance, field.name) for field in instance._meta.fields if isinstance(field, models.ImageField)]
    for field_file in files:
        if field_file.name:
            transaction.on_commit(lambda field_file=field_file: get_thumbnailer().delete_thumbnails(field_file))


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from oscar.core.loading import get_model

    post_save.connect(_photo_saved, sender=get_model("catalogue", "ProductImage"),
                      dispatch_uid="thumbnails-ahead-of-time")
    for label in ("ProductImage", "Category"):  # Oscar's models_with_images
        post_delete.connect(_image_deleted, sender=get_model("catalogue", label),
                            dispatch_uid=f"image-files-deleted-after-commit-{label}")

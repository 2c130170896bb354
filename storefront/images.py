"""Product pictures at the size a page shows them: square thumbnails in two widths for `srcset`,
WebP when this Pillow can write it (JPEG otherwise), through Oscar's thumbnailer (sorl-thumbnail,
OSCAR_THUMBNAILER). They are made ahead of time by Celery (shop/thumbnails.py): one not made yet
shows the placeholder art until the worker has made it, never a page that decodes the photo.

A product without a photo gets drawn placeholder art from static/ (never a broken image), and no
thumbnail lookup at all, so listings of photo-less products cost no thumbnail queries.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.templatetags.static import static
from oscar.core.thumbnails import get_thumbnailer

from shop.thumbnails import PLACEHOLDER, QUALITY, WIDTHS, image_format


@dataclass(frozen=True)
class Picture:
    src: str
    srcset: str
    width: int
    height: int
    placeholder: bool = False


def _is_missing(image) -> bool:
    if image is None:
        return True
    if isinstance(image, dict):
        return bool(image.get("is_missing")) or not image.get("original")
    return bool(getattr(image, "is_missing", False)) or not getattr(image, "original", None)


def picture(image, kind: str = "card") -> Picture:
    """The <img> facts for a product image (Oscar's ProductImage, or primary_image()'s dict)."""
    small, large = WIDTHS[kind]
    if _is_missing(image):
        url = static(PLACEHOLDER)
        return Picture(src=url, srcset="", width=small, height=small, placeholder=True)
    original = image["original"] if isinstance(image, dict) else image.original
    thumbnailer = get_thumbnailer()
    urls = []
    try:
        for width in (small, large):
            thumb = thumbnailer.generate_thumbnail(original, size=f"{width}x{width}", crop="center",
                                                   upscale=False, format=image_format(), quality=QUALITY)
            if getattr(thumb, "pending", False):  # the worker is making it: the placeholder meanwhile
                raise ValueError("thumbnail not made yet")
            urls.append((thumb.url, width))
    except (OSError, ValueError):  # a file gone from media/: the placeholder, not a broken image
        url = static(PLACEHOLDER)
        return Picture(src=url, srcset="", width=small, height=small, placeholder=True)
    return Picture(src=urls[0][0], srcset=", ".join(f"{url} {w}w" for url, w in urls), width=small, height=small)

"""Product pictures at the size a page shows them: square thumbnails in two widths for `srcset`,
WebP when this Pillow can write it (JPEG otherwise), made by Oscar's thumbnailer (sorl-thumbnail,
OSCAR_THUMBNAILER) so they are generated once and cached.

A product without a photo gets drawn placeholder art from static/ (never a broken image), and no
thumbnail lookup at all, so listings of photo-less products cost no thumbnail queries.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.templatetags.static import static
from oscar.core.thumbnails import get_thumbnailer

PLACEHOLDER = "ocop/placeholder-product.svg"
# Widths drawn for each place a photo appears: 1× and 2× of the largest CSS width it gets.
WIDTHS = {"card": (240, 480), "main": (480, 960), "thumb": (96, 192)}


@lru_cache(maxsize=1)
def image_format() -> str:
    from PIL import features

    return "WEBP" if features.check("webp") else "JPEG"


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
                                                   upscale=False, format=image_format(), quality=82)
            urls.append((thumb.url, width))
    except (OSError, ValueError):  # a file gone from media/: the placeholder, not a broken image
        url = static(PLACEHOLDER)
        return Picture(src=url, srcset="", width=small, height=small, placeholder=True)
    return Picture(src=urls[0][0], srcset=", ".join(f"{url} {w}w" for url, w in urls), width=small, height=small)

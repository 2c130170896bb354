"""Limits on uploaded pictures (issue 20, image bombs): a 17.5 KB PNG that decodes to 12000×12000
pixels took 7 s and 750 MB to thumbnail on the first product page view; six of them killed the
web worker. Bytes and pixels are checked at upload, from the file's header (no decoding), with a
message that says what is allowed; Pillow's own bomb limit (Image.MAX_IMAGE_PIXELS) is set to the
same number everywhere else (thumbnails made by the worker, imports).
"""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image


def max_pixels() -> int:
    return settings.OCOP_MAX_IMAGE_PIXELS


def max_bytes() -> int:
    return settings.OCOP_MAX_IMAGE_BYTES


def apply_pillow_limit() -> None:
    """Pillow warns past MAX_IMAGE_PIXELS and refuses past twice that, in every process."""
    Image.MAX_IMAGE_PIXELS = max_pixels()


def check_image_file(data) -> None:
    """Raise a ValidationError (in the shopper's language) when the upload is too heavy or too big."""
    size = getattr(data, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(_("This picture is %(size)s; the most is %(max)s. Please send a smaller file."),
                              code="image_too_heavy",
                              params={"size": filesizeformat(size), "max": filesizeformat(max_bytes())})
    position = data.tell() if hasattr(data, "tell") else 0
    try:
        with Image.open(data) as image:  # reads the header only: the pixels are not decoded here
            width, height = image.size
    except Image.DecompressionBombError:
        width = height = None
    except Exception:  # noqa: BLE001  (not a picture: Django's ImageField says so in its own words)
        return
    finally:
        data.seek(position)
    if width is None or width * height > max_pixels():
        raise ValidationError(
            _("This picture is too large (%(size)s). The most is %(max)s million pixels, e.g. 6000×4000: "
              "please make it smaller and send it again."),
            code="image_too_large",
            params={"size": f"{width}×{height}" if width else _("over %(n)s million pixels") % {
                "n": 2 * max_pixels() // 1_000_000}, "max": max_pixels() // 1_000_000})


class LimitedImageField(forms.ImageField):
    """Django's ImageField, with bytes and pixels checked before Pillow decodes anything."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "read"):
            check_image_file(data)
        return super().to_python(data)


def _limited_formfield(field, **kwargs):
    from django.db import models

    kwargs.setdefault("form_class", LimitedImageField)
    if not issubclass(kwargs["form_class"], LimitedImageField):
        kwargs["form_class"] = type("Limited" + kwargs["form_class"].__name__,
                                    (LimitedImageField, kwargs["form_class"]), {})
    return models.ImageField.formfield(field, **kwargs)


def limit_image_fields(sender, **kwargs) -> None:
    """class_prepared receiver: every model ImageField's form field gets the limits (the dashboard's
    product photos, which producers use too, category images, producer logos, any ImageField added
    later: no list to forget). Connected before any model is loaded (shop/apps.py), because Oscar's
    dashboard builds its ModelForm classes while the apps are made ready."""
    from django.db import models

    for field in sender._meta.local_fields:
        if isinstance(field, models.ImageField):
            field.formfield = _limited_formfield.__get__(field)

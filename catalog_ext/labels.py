"""A product's label code: what the QR on its package carries (`/p/<code>/`, storefront/trace.py).

The code is the product's UPC (its barcode, printed on the package anyway) and, for a product
without a usable one, its primary key: neither changes when the product is renamed or re-rated.
"""
from __future__ import annotations

import re

from django.urls import reverse

SAFE_UPC = re.compile(r"[A-Za-z0-9._-]{1,64}")


def short_code(product) -> str:
    upc = product.upc or ""
    return upc if SAFE_UPC.fullmatch(upc) else str(product.pk)


def trace_path(product) -> str:
    return reverse("trace:product", kwargs={"code": short_code(product)})

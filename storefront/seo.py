"""What search engines and link previews read: canonical URL, vi/en alternates, Open Graph and
schema.org Product data.

Language in URLs: the shop's URLs carry no language prefix (LocaleMiddleware picks the language
from the cookie or Accept-Language, and the set_language switch sets the cookie). Rather than move
every URL under i18n_patterns (which would change every address the shop, its tests and the other
branches use), each page also answers `?lang=vi` and `?lang=en` (storefront.middleware), and the
hreflang alternates point there. The canonical URL of a page is its path in the language shown:
bare for Vietnamese, the default, and `?lang=en` for English.
"""
from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from core.language import LANG_PARAM

SCHEMA_AVAILABILITY = {True: "https://schema.org/InStock", False: "https://schema.org/OutOfStock"}


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def language_url(request, code: str) -> str:
    path = request.path
    return absolute(request, path if code == settings.LANGUAGE_CODE else f"{path}?{LANG_PARAM}={code}")


def head_links(request) -> dict:
    current = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "canonical": language_url(request, current),
        "alternates": [(code, absolute(request, f"{request.path}?{LANG_PARAM}={code}"))
                       for code, _ in settings.LANGUAGES],
        "x_default": absolute(request, request.path),
        "og_locale": {"vi": "vi_VN", "en": "en_GB"}.get(current, "vi_VN"),
    }


def product_json_ld(request, product, *, image_url: str, purchase_info, producer=None, badges=None) -> str:
    """schema.org Product for the page, as a JSON string safe inside <script>: price as whole
    đồng (VND has no minor unit), availability from Oscar's strategy, brand = the producer."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.get_title(),
        "url": absolute(request, product.get_absolute_url()),
        "sku": product.upc or str(product.pk),
    }
    if image_url:
        data["image"] = [absolute(request, image_url)]
    description = (product.description or "").strip()
    if description:
        data["description"] = description
    if producer is not None:
        data["brand"] = {"@type": "Brand", "name": producer.name}
        data["manufacturer"] = {"@type": "Organization", "name": producer.name}
    if badges and badges.has_stars:
        data["award"] = f"OCOP {badges.stars}★"
    price = purchase_info.price if purchase_info else None
    if price is not None and price.exists:
        amount = price.incl_tax if price.is_tax_known else price.excl_tax
        data["offers"] = {
            "@type": "Offer",
            "url": data["url"],
            "priceCurrency": price.currency or "VND",
            "price": int(Decimal(amount).quantize(Decimal(1))),
            "availability": SCHEMA_AVAILABILITY[bool(purchase_info.availability.is_available_to_buy)],
            "itemCondition": "https://schema.org/NewCondition",
        }
        if producer is not None:
            data["offers"]["seller"] = {"@type": "Organization", "name": producer.name}
    # "</" must not close the script element early; json.dumps leaves it as is.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def og_escape(value) -> str:
    return escape(str(value))

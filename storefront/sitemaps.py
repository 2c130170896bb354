"""/sitemap.xml: products, categories, producers and the fixed pages, each listed once per
language (Django's i18n sitemaps put the hreflang alternates in; the English address is the
same page with ?lang=en, see storefront.seo)."""
from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from oscar.core.loading import get_model

from storefront.producers import producers

from .seo import LANG_PARAM

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


class BilingualSitemap(Sitemap):
    """Each page once, with <xhtml:link hreflang> alternates for vi and en.

    Django's own `i18n = True` expects language-prefixed URLs (i18n_patterns); ours keep one
    path and take ?lang=, so the alternates are built here."""

    alternates = False

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for entry in urls:
            location = entry["location"]
            entry["alternates"] = [{"lang_code": code, "location": f"{location}?{LANG_PARAM}={code}"}
                                   for code in ("vi", "en")] + [{"lang_code": "x-default", "location": location}]
        return urls


class ProductSitemap(BilingualSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Product.objects.browsable().order_by("pk").only("pk", "slug", "date_updated")

    def lastmod(self, product):
        return product.date_updated


class CategorySitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Category.objects.filter(is_public=True).order_by("path")


class ProducerSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return producers().filter(product_count__gt=0)


class PageSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return ["home", "catalogue:index", "producers:list", "showrooms:list"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "products": ProductSitemap, "categories": CategorySitemap,
            "producers": ProducerSitemap}

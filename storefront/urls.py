from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.cache import cache_page

from .sitemaps import SITEMAPS

storefront_urls = [
    path("sitemap.xml", cache_page(3600)(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
]

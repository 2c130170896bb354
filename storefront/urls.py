from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.cache import cache_page

from . import account
from .sitemaps import SITEMAPS

storefront_urls = [
    path("sitemap.xml", cache_page(3600)(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("privacy/", account.PrivacyNoticeView.as_view(), name="privacy-notice"),
    path("accounts/messages/", account.ContactPreferenceView.as_view(), name="account-messages"),
    path("accounts/my-data/", account.MyDataView.as_view(), name="account-my-data"),
    path("accounts/my-data/download/", account.DownloadMyDataView.as_view(), name="account-my-data-download"),
]

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from storefront.urls import storefront_urls

from .views import HomeView, healthz, serve_media

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("producers/", include("catalog_ext.urls")),
    path("p/", include("catalog_ext.trace_urls")),
    path("showrooms/", include("showrooms.urls")),
    path("orders/track/", include("shop.order.tracking_urls")),
    path("pos/", include("pos.urls")),
    path("dashboard/pos/", include("pos.office_urls")),
    *storefront_urls,  # sitemap.xml
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(0, path("media/<path:path>", serve_media))

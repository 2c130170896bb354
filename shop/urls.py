from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from storefront.urls import storefront_urls
from storefront.views import HomeView

from . import account_views
from .views import healthz, livez, serve_media

# Oscar's account views mended (shop/account_views.py), resolved before Oscar's own patterns.
account_fixes = [
    path("accounts/wishlists/create/with-product/<int:product_pk>/",
         login_required(account_views.WishListCreateWithProductView.as_view()),
         name="account-wishlists-create-with-product"),
    path("accounts/notifications/update/", login_required(account_views.NotificationUpdateView.as_view()),
         name="account-notifications-update"),
    path("accounts/orders/<str:order_number>/", login_required(account_views.OrderDetailView.as_view()),
         name="account-order"),  # reversed as Oscar's "customer:order" (the same path)
    path("accounts/orders/<str:order_number>/<int:line_id>/", login_required(account_views.OrderLineView.as_view()),
         name="account-order-line"),
    path("accounts/orders/<str:order_number>/<int:line_id>/return/",
         login_required(account_views.LineReturnView.as_view()), name="account-order-line-return"),
]

handler500 = "shop.views.server_error"  # a lost database connection answers 503 (templates/503.html)

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("producers/", include("storefront.producer_urls")),
    path("p/", include("storefront.trace_urls")),
    path("showrooms/", include("showrooms.urls")),
    path("orders/track/", include("shop.order.tracking_urls")),
    path("pos/", include("pos.urls")),
    path("dashboard/pos/", include("pos.office_urls")),
    path("payments/", include("banking.urls")),
    path("dashboard/transfers/", include("banking.office_urls")),
    path("carriers/", include("carriers.urls")),
    path("dashboard/carriers/", include("carriers.office_urls")),
    *account_fixes,
    *storefront_urls,  # sitemap.xml
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(0, path("media/<path:path>", serve_media))

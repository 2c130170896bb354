from django.urls import path

from storefront import trace

app_name = "trace"

urlpatterns = [
    path("labels/", trace.label_sheet, name="labels"),
    path("<str:code>/", trace.product_page, name="product"),
    path("<str:code>/qr.svg", trace.qr_svg, name="qr-svg"),
    path("<str:code>/qr.png", trace.qr_png, name="qr-png"),
]

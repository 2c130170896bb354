from django.urls import path

from . import auth_views, pickup_views, views

app_name = "pos"

urlpatterns = [
    path("", views.counter, name="counter"),
    path("login/", auth_views.sign_in, name="login"),
    path("logout/", auth_views.sign_out, name="logout"),
    path("showroom/", views.choose_showroom, name="choose-showroom"),
    path("shift/open/", views.shift_open, name="shift-open"),
    path("shift/cash/", views.shift_cash, name="shift-cash"),
    path("shift/close/", views.shift_close, name="shift-close"),
    path("shifts/<int:pk>/", views.shift_report, name="shift-report"),
    path("sales/", views.history, name="history"),
    path("sales/<str:number>/receipt/", views.receipt, name="receipt"),
    path("sales/<str:number>/return/", views.sale_return, name="return"),
    path("shelf/", views.shelf, name="shelf"),
    path("pickups/", pickup_views.pickup_list, name="pickups"),
    path("pickups/<str:number>/", pickup_views.pickup_detail, name="pickup"),
    path("pickups/<str:number>/receive/", pickup_views.pickup_receive, name="pickup-receive"),
    path("pickups/<str:number>/collect/", pickup_views.pickup_collect, name="pickup-collect"),
    path("pickups/<str:number>/receipt/", pickup_views.pickup_receipt, name="pickup-receipt"),
    path("api/cart/", views.api_cart, name="api-cart"),
    path("api/scan/", views.api_scan, name="api-scan"),
    path("api/lines/<int:line_id>/", views.api_line, name="api-line"),
    path("api/discount/", views.api_discount, name="api-discount"),
    path("api/customer/", views.api_customer, name="api-customer"),
    path("api/search/", views.api_search, name="api-search"),
    path("api/vietqr/", views.api_vietqr, name="api-vietqr"),
    path("api/vietqr/status/", views.api_vietqr_status, name="api-vietqr-status"),
    path("api/complete/", views.api_complete, name="api-complete"),
]

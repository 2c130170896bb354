from django.urls import path

from .tracking_views import signed_order, track_order

app_name = "order-tracking"

urlpatterns = [
    path("", track_order, name="form"),
    path("<str:number>/<str:token>/", signed_order, name="signed"),
]

from django.urls import path

from . import views

app_name = "banking"

urlpatterns = [
    path("webhook/sepay/", views.sepay_webhook, name="sepay-webhook"),
    path("transfer/<str:number>/status/", views.order_status, name="order-status"),
]

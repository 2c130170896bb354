from django.urls import path

from . import webhooks

app_name = "carriers"

urlpatterns = [
    path("webhook/ghn/<str:secret>/", webhooks.ghn, name="ghn-webhook"),
    path("webhook/ghtk/", webhooks.ghtk, name="ghtk-webhook"),
]

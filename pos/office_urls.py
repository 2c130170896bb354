from django.urls import path

from . import office

app_name = "pos-office"

urlpatterns = [
    path("shifts/", office.shifts, name="shifts"),
    path("daily/", office.daily, name="daily"),
]

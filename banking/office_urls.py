from django.urls import path

from . import views

app_name = "banking-office"

urlpatterns = [
    path("", views.unmatched, name="unmatched"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
]

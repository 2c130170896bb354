from django.urls import path

from . import office

app_name = "carriers-office"

urlpatterns = [
    path("cod/", office.cod_page, name="cod"),
]

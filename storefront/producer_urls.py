from django.urls import path

from storefront.producers import ProducerDetailView, ProducerListView

app_name = "producers"

urlpatterns = [
    path("", ProducerListView.as_view(), name="list"),
    path("<str:slug>/", ProducerDetailView.as_view(), name="detail"),
]

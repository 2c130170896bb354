from django.urls import path

from .views import ShowroomListView

app_name = "showrooms"

urlpatterns = [
    path("", ShowroomListView.as_view(), name="list"),
]

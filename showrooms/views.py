from django.views.generic import ListView

from .models import Showroom


class ShowroomListView(ListView):
    template_name = "showrooms/list.html"
    context_object_name = "showrooms"

    def get_queryset(self):
        return Showroom.objects.active()

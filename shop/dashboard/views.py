"""Oscar's dashboard home; a producer user lands on their own home instead (producer_portal).

Oscar's index for non-staff users counts every order that has one of their lines, with its whole
total: other producers' sales in it. The producer home shows only their own."""
from django.shortcuts import redirect
from oscar.apps.dashboard import views as oscar_views
from oscar.apps.dashboard.views import *  # noqa: F403  (LoginView and the rest as Oscar has them)

from shop.partner.scoping import is_producer_user


class IndexView(oscar_views.IndexView):
    def dispatch(self, request, *args, **kwargs):
        if is_producer_user(request.user):
            return redirect("dashboard:producer-home")
        return super().dispatch(request, *args, **kwargs)

from django.shortcuts import redirect
from oscar.apps.dashboard.offers import views as oscar_views
from oscar.apps.dashboard.offers.views import *  # noqa: F403  (every other view as Oscar has it)


class OfferDetailView(oscar_views.OfferDetailView):
    def post(self, request, *args, **kwargs):
        # Oscar answers only "suspend" and "unsuspend" and returned None for any other post (a
        # 500): anything else shows the offer's page again.
        if "suspend" in request.POST or "unsuspend" in request.POST:
            return super().post(request, *args, **kwargs)
        return redirect("dashboard:offer-detail", pk=self.offer.pk)

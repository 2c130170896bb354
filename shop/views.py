from django.db import transaction
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from catalog_ext.page_cache import CachedPageMixin
from storefront.home import home_sections

from .health import check_broker, check_cache, check_database


@never_cache
@transaction.non_atomic_requests  # must answer even when a transaction cannot begin
def healthz(request):
    """Liveness for load balancers and compose: 200 while the database answers, else 503. A broker
    or cache that is down makes it "degraded", still 200: the shop serves without them."""
    database, _ = check_database()
    broker, _ = check_broker()
    cache, _ = check_cache()
    status = "down" if database != "ok" else ("degraded" if "down" in (broker, cache) else "ok")
    body = {"status": status, "database": database, "broker": broker, "cache": cache}
    return JsonResponse(body, status=200 if database == "ok" else 503)


class HomeView(CachedPageMixin, TemplateView):
    """The storefront's front page (storefront.home): highlights, ways in, stories, showrooms.
    Rendered once per day and catalogue version for anonymous visitors (catalog_ext.page_cache)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(home_sections(reverse("catalogue:index")))
        return ctx

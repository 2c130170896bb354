from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from oscar.core.loading import get_class, get_model

from .health import check_broker, check_database

Category = get_model("catalogue", "Category")
browsable_products = get_class("search.views", "browsable_products")


@never_cache
@transaction.non_atomic_requests  # must answer even when a transaction cannot begin
def healthz(request):
    """Liveness for load balancers and compose: 200 while the database answers, else 503."""
    database, _ = check_database()
    broker, _ = check_broker()
    status = "down" if database != "ok" else ("degraded" if broker == "down" else "ok")
    body = {"status": status, "database": database, "broker": broker}
    return JsonResponse(body, status=200 if database == "ok" else 503)


class HomeView(TemplateView):
    """The storefront's front page: OCOP groups and the newest products."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["groups"] = Category.get_root_nodes().filter(is_public=True)
        ctx["products"] = browsable_products()[:12]
        return ctx

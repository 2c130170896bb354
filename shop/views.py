from django.conf import settings
from django.db import transaction
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django.views.static import serve

from catalog_ext.page_cache import CachedPageMixin
from storefront.home import home_sections

from .health import check_broker, check_database


def serve_media(request, path):
    """Django's static serve, with a path the file system refuses (too long, a NUL byte) a 404:
    `Path.exists()` raises instead of answering False for those."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except (OSError, ValueError) as exc:
        raise Http404(path) from exc


@never_cache
@transaction.non_atomic_requests  # must answer even when a transaction cannot begin
def healthz(request):
    """Liveness for load balancers and compose: 200 while the database answers, else 503."""
    database, _ = check_database()
    broker, _ = check_broker()
    status = "down" if database != "ok" else ("degraded" if broker == "down" else "ok")
    body = {"status": status, "database": database, "broker": broker}
    return JsonResponse(body, status=200 if database == "ok" else 503)


class HomeView(CachedPageMixin, TemplateView):
    """The storefront's front page (storefront.home): highlights, ways in, stories, showrooms.
    Rendered once per day and catalogue version for anonymous visitors (catalog_ext.page_cache)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(home_sections(reverse("catalogue:index")))
        return ctx

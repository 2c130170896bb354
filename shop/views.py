import sys

from django.conf import settings
from django.db import transaction
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.static import serve

from .health import check_all


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
    """Readiness, for load balancers and compose: 200 while the database answers, else 503. A
    broker or cache that is down makes it "degraded", still 200: the shop serves without them.
    One database round trip and one PING per Redis, on kept connections (shop/health.py)."""
    states = {name: state for name, (state, _) in check_all().items()}
    database = states["database"]
    status = "down" if database != "ok" else ("degraded" if "down" in states.values() else "ok")
    return JsonResponse({"status": status, **states}, status=200 if database == "ok" else 503)


@never_cache
@transaction.non_atomic_requests
def livez(request):
    """Liveness: this process answers requests through the whole middleware stack, and asks no
    service (a restart would not bring a dead database back). Our hello world: the bench's ceiling."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


# Seconds a shopper (or a client honouring Retry-After) should wait before trying again.
DATABASE_RETRY_AFTER = 5


def server_error(request):
    """handler500: the shop's 500 page, or a 503 when the request failed because the database
    connection was lost or refused (a restart, a failover, a dropped connection). The request's
    transaction was rolled back with the connection, so nothing of it was saved, and the next
    request opens a fresh connection (CONN_HEALTH_CHECKS): trying again is the right advice.
    Like Django's own server_error, it renders with no context: nothing may touch the database."""
    if _database_unavailable(sys.exc_info()[1]):
        response = HttpResponseServerError(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def _database_unavailable(exc: BaseException | None) -> bool:
    """Is a lost or refused database connection the cause of `exc`, or what it was raised while
    handling? (Oscar's checkout catches the first error and fails again restoring the basket.)"""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False

"""Staff reading customers' personal data, logged (Decree 13/2023/NĐ-CP: who processed which data).

A middleware, because the pages are Oscar's own dashboard views (the users dashboard is not forked)
and a log must not depend on each view remembering to write it. The list below is the one place
that says which pages show a customer's data; a page is logged when a staff member got it (2xx).
"""
from __future__ import annotations

from .models import StaffAccess

# URL name -> how to name whose data it showed, from the URL's kwargs
WATCHED = {
    "dashboard:order-detail": lambda kw: f"order {kw.get('number', '')}",
    "dashboard:order-line-detail": lambda kw: f"order {kw.get('number', '')}",
    "dashboard:order-shipping-address": lambda kw: f"order {kw.get('number', '')}",
    "dashboard:order-list": lambda kw: "order list",
    "dashboard:user-detail": lambda kw: f"customer {kw.get('pk', '')}",
    "dashboard:users-index": lambda kw: "customer list",
    # The same data through Django's admin
    "admin:order_order_change": lambda kw: f"order id {kw.get('object_id', '')}",
    "admin:order_shippingaddress_change": lambda kw: f"shipping address {kw.get('object_id', '')}",
    "admin:auth_user_change": lambda kw: f"customer {kw.get('object_id', '')}",
    "admin:address_useraddress_change": lambda kw: f"address book entry {kw.get('object_id', '')}",
}


class StaffAccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (match is not None and match.view_name in WATCHED and user is not None and user.is_authenticated
                and user.is_staff and 200 <= response.status_code < 300):
            StaffAccess.objects.create(staff=user, page=match.view_name, subject=WATCHED[match.view_name](match.kwargs)[:128],
                                       path=request.get_full_path()[:500], method=request.method[:8])
        return response

"""Checkout views of the address and shipping steps (re-exported by shop/checkout/views.py)."""
from django import http
from django.contrib import messages
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from oscar.apps.checkout.views import ShippingMethodView as CoreShippingMethodView

from core import places

__all__ = ["ShippingMethodView", "wards_view"]


class ShippingMethodView(CoreShippingMethodView):
    """Oscar's step, with the showrooms gathered under one "pick up" choice."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["delivery_methods"] = [m for m in self._methods if not getattr(m, "is_pickup", False)]
        ctx["pickup_methods"] = [m for m in self._methods if getattr(m, "is_pickup", False)]
        return ctx

    def form_invalid(self, form):
        if "showroom" in form.errors:
            messages.error(self.request, form.errors["showroom"][0])
            return self.render_to_response(self.get_context_data(form=form))
        return super().form_invalid(form)


@require_GET
@cache_control(max_age=86400, public=True)  # the list changes with the law, not with the day
def wards_view(request):
    """[{code, name}] of a province's wards and communes, for the address form's second select."""
    raw = request.GET.get("province", "")
    if not raw.isdigit() or len(raw) > 3:
        return http.JsonResponse({"error": _("Give a province code, e.g. ?province=14.")}, status=400)
    code = int(raw)
    if not places.province_name(code):
        return http.JsonResponse({"error": _("Unknown province code.")}, status=404)
    return http.JsonResponse([{"code": c, "name": n} for c, n in places.wards(code)], safe=False)

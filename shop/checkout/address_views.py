"""Checkout views of the address and shipping steps (re-exported by shop/checkout/views.py)."""
from django import http
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from oscar.apps.checkout.views import IndexView as CoreIndexView
from oscar.apps.checkout.views import ShippingAddressView as CoreShippingAddressView
from oscar.apps.checkout.views import ShippingMethodView as CoreShippingMethodView

from core import places
from shop.address.vn_forms import as_typed
from shop.shipping.methods import showroom_id_from_code
from showrooms.models import Showroom

from . import pickup_views

__all__ = ["IndexView", "ShippingAddressView", "ShippingMethodView", "wards_view"]


class IndexView(CoreIndexView):
    """No "who are you?" page before the checkout: everyone starts on the first screen, where a guest
    gives a name and a phone (e-mail optional) and signing in is a link. Oscar's form still answers
    a POST (an e-mail given there is kept as the guest's)."""

    def get(self, request, *args, **kwargs):
        return redirect("checkout:shipping-address")


class ShippingAddressView(CoreShippingAddressView):
    """Screen 1 of 3: who receives the order and where: an address (delivery to the door) or a
    showroom (pick-up, shop/checkout/pickup_views.py); a guest's optional e-mail; a sign-in link.
    Next: shipping and payment on one screen."""

    success_url = reverse_lazy("checkout:payment-method")

    def get_initial(self):
        email = self.checkout_session.get_guest_email() or ""
        if self.checkout_session._get("shipping", pickup_views.FLAG):
            # The stored address is a showroom's: keep only who collects, so a shopper switching to
            # delivery types the address, not the name and phone again.
            saved = self.checkout_session._get("shipping", "pickup") or {}
            return {"email": email, "full_name": saved.get("full_name", ""), "phone_number": saved.get("phone", "")}
        return {**(super().get_initial() or {}), "email": email}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ask_email": not self.request.user.is_authenticated}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["pickup_form"] = pickup_views.PickupContactForm(
            initial=self.pickup_initial(), ask_email=not self.request.user.is_authenticated)
        ctx["showrooms"] = self.listed_showrooms()  # the submission above listed them with the methods
        ctx["login_url"] = reverse("customer:login") + "?next=" + reverse("checkout:shipping-address")
        ctx["delivery_chosen"] = not self.checkout_session._get("shipping", pickup_views.FLAG)
        return ctx

    def pickup_initial(self) -> dict:
        """The pick-up form's name and phone: the saved pick-up's, else those of the delivery address
        given before (a shopper switching to pick-up does not type them again)."""
        initial = pickup_views.PickupContactView.get_initial(self)
        address = self.checkout_session.new_shipping_address_fields() or {}
        if not initial["full_name"] and address:
            initial["full_name"] = " ".join(n for n in (address.get("first_name"), address.get("last_name")) if n)
            initial["phone_number"] = as_typed(address.get("phone_number") or "")
        return initial

    def form_valid(self, form):
        if self.checkout_session._get("shipping", pickup_views.FLAG):
            self.checkout_session.reset_shipping_data()  # from pick-up to delivery: the method is chosen again
        if "email" in form.cleaned_data and "email" in self.request.POST:  # a POST without the box keeps the e-mail
            self.checkout_session.set_guest_email(form.cleaned_data["email"])
        return super().form_valid(form)


class ShippingMethodView(CoreShippingMethodView):
    """Oscar's step, with the showrooms gathered under one "pick up" choice."""

    def form_valid(self, form):
        code = form.cleaned_data["method_code"]
        saved = self.checkout_session._get("shipping", "pickup")
        if self.checkout_session._get("shipping", pickup_views.FLAG) and saved:
            showroom_id = showroom_id_from_code(code)
            if showroom_id is None:
                return pickup_views.delivery_wanted_after_pickup(self.request, self.checkout_session)
            pickup_views.store_pickup(self.checkout_session, showroom=Showroom.objects.get(pk=showroom_id),
                                      full_name=saved["full_name"], phone=saved["phone"])
            return self.get_success_response()
        return super().form_valid(form)

    def get_available_shipping_methods(self):
        """Oscar's list, the request's one (CheckoutSessionMixin.listed_shipping_methods)."""
        basket = self.request.basket
        return self.listed_shipping_methods(basket, self.get_shipping_address(basket))

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

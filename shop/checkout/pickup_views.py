"""Pick up at a showroom, chosen on the checkout's first step instead of a home address.

The order still gets Oscar's shipping address (every page, e-mail and dashboard reads it): the
collector's name and phone at the showroom's address, so nothing shows a home address nobody
gave. The shipping method is the showroom's pick-up method (pickup-<id>), set at the same time,
so the next step is payment."""
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_model

from core import places
from shop.address.vn_forms import as_typed, split_full_name, vietnam
from shop.shipping.methods import PICKUP_PREFIX
from showrooms.models import Showroom

from .pickup_forms import PickupContactForm

ShippingAddress = get_model("order", "ShippingAddress")
FLAG = "pickup_contact"  # in Oscar's "shipping" session namespace: the address is a showroom's

__all__ = ["PickupContactView", "pickup_address_fields", "FLAG"]


def pickup_address_fields(*, full_name: str, phone: str, showroom) -> dict:
    first, last = split_full_name(full_name)
    return {"first_name": first, "last_name": last, "phone_number": str(phone), "line1": showroom.street,
            "line4": showroom.commune,
            "state": places.province_name(places.SON_LA), "province_code": places.SON_LA,
            "ward_code": showroom.ward_code, "country_id": vietnam().pk, "postcode": "",
            "notes": _("Pick up at %(showroom)s") % {"showroom": showroom.name}}


class PickupContactView(oscar_views.ShippingAddressView):
    """Name, phone and showroom: Oscar's shipping-address step's guards (basket, e-mail), our form."""

    template_name = "oscar/checkout/pickup_contact.html"
    form_class = PickupContactForm
    success_url = "checkout:payment-method"

    def get_form_kwargs(self):
        kwargs = {"initial": self.get_initial()}
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
        return kwargs

    def get_form(self, form_class=None):
        return PickupContactForm(**self.get_form_kwargs(), ask_email=not self.request.user.is_authenticated)

    def get_initial(self):
        saved = self.checkout_session._get("shipping", "pickup") or {}
        return {"showroom": saved.get("showroom"), "full_name": saved.get("full_name", ""),
                "phone_number": as_typed(saved["phone"]) if saved.get("phone") else "", "email": self.checkout_session.get_guest_email() or ""}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["pickup_form"] = ctx["form"]
        ctx["showrooms"] = Showroom.objects.active()
        return ctx

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        return self.form_valid(form)

    def form_valid(self, form):
        data = form.cleaned_data
        phone = data["phone_number"].as_international
        if "email" in data and "email" in self.request.POST:  # a POST without the box keeps the e-mail
            self.checkout_session.set_guest_email(data["email"])
        store_pickup(self.checkout_session, showroom=data["showroom"], full_name=data["full_name"], phone=phone)
        return redirect(self.success_url)


def store_pickup(checkout_session, *, showroom, full_name: str, phone: str) -> None:
    checkout_session.reset_shipping_data()
    checkout_session._set("shipping", "new_address_fields",
                          pickup_address_fields(full_name=full_name, phone=phone, showroom=showroom))
    checkout_session._set("shipping", "pickup", {"showroom": showroom.pk, "full_name": full_name, "phone": phone})
    checkout_session._set("shipping", FLAG, True)
    checkout_session.use_shipping_method(f"{PICKUP_PREFIX}{showroom.pk}")


def delivery_wanted_after_pickup(request, checkout_session):
    """The shopper gave a showroom, then chose home delivery: ask for the address to deliver to."""
    checkout_session.reset_shipping_data()
    messages.info(request, _("Enter the address to deliver to."))
    return redirect("checkout:shipping-address")

"""Oscar's checkout session mixin, for a checkout of three screens on a phone (issue 19):

1. who and where (shop/checkout/address_views.py): name and phone, an e-mail only if the guest
   wants one, and a delivery address or a showroom; signing in is a link there, not a page before it;
2. how to ship and to pay (shop/checkout/payment_views.py: PaymentMethodView), on one screen;
3. review and place the order (Oscar's preview).

A guest is therefore known by the phone of the first screen, not by an e-mail asked first: the
"e-mail captured" condition Oscar puts on every step holds for any guest, and an order without an
e-mail is stored with an empty one (messages then go by phone: notifications/recipients.py).
Until the shopper chooses on the second screen, a delivery address has standard delivery (the
method the basket estimates with); a step whose method is no longer valid sends back to the second
screen, where it is chosen."""
from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.checkout import exceptions
from oscar.apps.checkout.session import CheckoutSessionMixin as CoreCheckoutSessionMixin
from oscar.core.loading import get_class

from shop.basket.lines import purchase_info
from shop.basket.middleware import wants_basket_lines
from showrooms.models import Showroom

Repository = get_class("shipping.repository", "Repository")

__all__ = ["CheckoutSessionMixin", "DEFAULT_DELIVERY", "read_basket_lines"]

DEFAULT_DELIVERY = "standard"  # shop/shipping/methods.py Standard: what the basket estimates with


def read_basket_lines(request) -> None:
    """Read the basket's lines now, once: every checkout step reads them anyway (Oscar's
    check_basket_is_valid), and before that `basket.is_empty` (the replay check of "Place order",
    Oscar's check_basket_is_not_empty) was a COUNT query each time; on lines already read it is none."""
    wants_basket_lines(request)  # read by the basket middleware instead of its COUNT
    basket = getattr(request, "basket", None)
    if basket is not None and basket.id is not None:
        len(basket.all_lines())


def _address_key(address) -> str:
    """What a shipping address is, as a key (the checkout builds a new unsaved one at each ask)."""
    if address is None:
        return ""
    return repr([getattr(address, field.attname) for field in address._meta.concrete_fields])


def _priced_once(method):
    """The method, its charge computed once per basket: Oscar prices it for the payment skip
    condition and again for the submission, in the same request (a weight query each time)."""
    calculate, charges = method.calculate, {}

    def calculate_once(basket):
        if basket.pk not in charges:
            charges[basket.pk] = calculate(basket)
        return charges[basket.pk]

    method.calculate = calculate_once
    return method


class CheckoutSessionMixin(CoreCheckoutSessionMixin):
    def dispatch(self, request, *args, **kwargs):
        read_basket_lines(request)
        return super().dispatch(request, *args, **kwargs)

    def get_shipping_method(self, basket, shipping_address=None, **kwargs):
        """Oscar asks for the session's method three times in one request (a precondition, the payment
        skip condition, the submission), each time listing every method (the showrooms: a query):
        picked from the request's one list for that basket and address (listed_shipping_methods),
        and priced once."""
        key = (basket.pk, self.checkout_session.shipping_method_code(basket), _address_key(shipping_address))
        asked = self.__dict__.setdefault("_shipping_methods", {})
        if key not in asked:  # Oscar's get_shipping_method, on the listed methods
            code = key[1]
            method = next((m for m in self.listed_shipping_methods(basket, shipping_address) if m.code == code), None)
            asked[key] = _priced_once(method) if method is not None else None
        return asked[key]

    def listed_shipping_methods(self, basket, shipping_address=None) -> list:
        """Every shipping method for this basket and address (Oscar's Repository), listed once per
        request: the step's own list (the shipping-method and payment screens) and the session's
        method (preconditions, submission) were two listings, two reads of the showrooms."""
        key = (basket.pk, _address_key(shipping_address))
        listed = self.__dict__.setdefault("_listed_shipping_methods", {})
        if key not in listed:
            listed[key] = list(Repository().get_shipping_methods(
                basket=basket, user=self.request.user, shipping_addr=shipping_address, request=self.request))
        return listed[key]

    def listed_showrooms(self):
        """The active showrooms, as the listed methods hold them (the repository lists one pick-up
        method per active showroom, in their order); read when nothing was listed yet."""
        for methods in self.__dict__.get("_listed_shipping_methods", {}).values():
            return [m.showroom for m in methods if getattr(m, "is_pickup", False)]
        return list(Showroom.objects.active())

    def check_basket_is_valid(self, request):
        """Oscar's, each line's stock asked through shop/basket/lines.purchase_info: the answer is kept
        on the line, where the page's lines, prices and totals then find it (Oscar asked the strategy
        afresh here, then each line asked again; issue 21). Same messages, same order, same refusal."""
        messages_list = []
        for line in request.basket.all_lines():
            is_permitted, reason = purchase_info(request, line).availability.is_purchase_permitted(line.quantity)
            if not is_permitted:
                messages_list.append(_("'%(title)s' is no longer available to buy (%(reason)s). "
                                       "Please adjust your basket to continue")
                                     % {"title": line.product.get_title(), "reason": reason})
        if messages_list:
            raise exceptions.FailedPreCondition(url=reverse("basket:summary"), messages=messages_list)

    def check_user_email_is_captured(self, request):
        """Nothing to capture before the first screen: a guest gives name and phone there."""

    def check_a_valid_shipping_method_is_captured(self):
        basket = self.request.basket
        if not self.checkout_session.is_shipping_method_set(basket) and self.checkout_session.is_shipping_address_set():
            self.checkout_session.use_shipping_method(DEFAULT_DELIVERY)
        try:
            super().check_a_valid_shipping_method_is_captured()
        except exceptions.FailedPreCondition as missing:
            raise exceptions.FailedPreCondition(url=reverse("checkout:payment-method"),
                                                messages=missing.messages) from None

    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        kwargs = submission["order_kwargs"]
        if "guest_email" in kwargs and not kwargs["guest_email"]:
            kwargs["guest_email"] = ""  # a guest who gave no e-mail: Oscar's column is not nullable
        return submission

"""Oscar's basket views (get_class finds each here first, else Oscar's); the basket page's own.

Oscar's BasketView works out, on every basket page, a shipping quote for its totals box: the
shipping methods (twice: the list, then the default method; each lists the showrooms, a query),
the shopper's default address, the default method's charge (every line asked whether it needs
shipping), the surcharges and the order total. The shop's basket totals
(templates/oscar/basket/partials/basket_totals.html) draw a delivery *estimate* instead, from the
checkout's rule, and the goods' total: on the basket page none of that quote was drawn (issue 21).
The context keeps every name Oscar gives, worked out only when a template draws it.

The "spend X more" messages use the offers the basket middleware has just found
(shop/basket/middleware.py) instead of reading them again."""
from functools import cached_property

from django.utils.functional import SimpleLazyObject
from oscar.apps.basket.views import BasketView as CoreBasketView
from oscar.core.loading import get_class, get_model

from shop.basket.middleware import wants_basket_lines
from shop.basket.reads import saved_basket_of

Applicator = get_class("offer.applicator", "Applicator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
SurchargeApplicator = get_class("checkout.applicator", "SurchargeApplicator")
SavedLineFormSet = get_class("basket.formsets", "SavedLineFormSet")
Basket = get_model("basket", "Basket")


class ShippingQuote:
    """Oscar's basket-page shipping quote, each part worked out once, when first asked for."""

    def __init__(self, view, basket, context):
        self.view, self.basket, self.context = view, basket, context

    @cached_property
    def methods(self):
        return self.view.get_shipping_methods(self.basket)

    @cached_property
    def method(self):
        return self.view.get_default_shipping_method(self.basket)

    @cached_property
    def charge(self):
        return self.method.calculate(self.basket)

    @cached_property
    def charge_excl_discount(self):
        return self.method.calculate_excl_discount(self.basket) if self.method.is_discounted else None

    @cached_property
    def surcharges(self):
        # the charge handed over as it is drawn: no surcharge (the shop has none) needs no quote
        return SurchargeApplicator(self.view.request, self.context).get_applicable_surcharges(
            self.basket, shipping_charge=SimpleLazyObject(lambda: self.charge))

    @cached_property
    def order_total(self):
        return OrderTotalCalculator().calculate(self.basket, self.charge, surcharges=self.surcharges)


class BasketView(CoreBasketView):
    def dispatch(self, request, *args, **kwargs):
        wants_basket_lines(request)  # the formset reads them: no COUNT before (shop/basket/middleware.py)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        """Oscar's context (same names, same values), the shipping quote's parts lazy."""
        context = super(CoreBasketView, self).get_context_data(**kwargs)  # the formset view's
        basket = self.request.basket
        context["voucher_form"] = self.get_basket_voucher_form()
        quote = ShippingQuote(self, basket, context)
        for name, part in (("shipping_methods", "methods"), ("shipping_method", "method"),
                           ("shipping_charge", "charge"), ("shipping_charge_excl_discount", "charge_excl_discount"),
                           ("surcharges", "surcharges"), ("order_total", "order_total")):
            context[name] = SimpleLazyObject(lambda part=part: getattr(quote, part))
        context["basket_warnings"] = self.get_basket_warnings(basket)
        context["upsell_messages"] = self.get_upsell_messages(basket)
        if self.request.user.is_authenticated:  # Oscar's "items to buy later"
            try:
                saved_basket = saved_basket_of(self.request.user)  # Basket.saved.get(owner=…), compiled once
            except Basket.DoesNotExist:
                pass
            else:
                saved_basket.strategy = basket.strategy
                if not saved_basket.is_empty:
                    context["saved_formset"] = SavedLineFormSet(
                        strategy=self.request.strategy, basket=basket, queryset=saved_basket.all_lines(),
                        prefix="saved")
        return context

    def get_upsell_messages(self, basket):
        """Oscar's, on the offers the middleware found for this basket (read again when it found none)."""
        offers = getattr(basket, "offers_found", None)
        if offers is None:
            offers = Applicator().get_offers(basket, self.request.user, self.request)
        applied_offers = list(basket.offer_applications.offers.values())
        return [{"message": offer.get_upsell_message(basket), "offer": offer} for offer in offers
                if offer.is_condition_partially_satisfied(basket) and offer not in applied_offers]

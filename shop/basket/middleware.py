"""Oscar's basket middleware, keeping the offers it found for the request's basket, and reading the
lines instead of counting them on pages that read them anyway.

Oscar applies the offers to the request's basket here (the site's, the basket's vouchers', the
user's and the session's: two queries), then the basket page (shop/basket/views.py) asked for the
very same offers again to write its "spend X more" messages: two more queries and their objects
(issue 21). The offers found are kept on the basket as `offers_found`, for this request only (the
basket is the request's object).

Before applying offers Oscar asks whether the basket is empty: a COUNT of its lines. The basket
page and every checkout step then read all the lines (with their products and stock records); a
view that says so first (`wants_basket_lines`) has them read here instead, and the count is
answered from them.

The lines, the basket's vouchers and the site's offers are read with SQL compiled once
(shop/basket/reads.py): Oscar's Applicator with those two reads replaced, nothing else."""
from oscar.apps.basket.middleware import BasketMiddleware as CoreBasketMiddleware
from oscar.core.loading import get_class

from shop.basket.reads import read_site_offers, read_vouchers

Applicator = get_class("offer.applicator", "Applicator")
LINES_WANTED = "_ocop_basket_lines_wanted"


class CompiledReadsApplicator(Applicator):
    """Oscar's Applicator; its site offers and the basket's vouchers read with compiled SQL (the
    same rows: shop/basket/reads.py), the vouchers kept on the basket as Django keeps a prefetch."""

    def get_site_offers(self):
        return read_site_offers()

    def get_basket_offers(self, basket, user):
        if basket.id and user:  # Oscar's loop below then reads them from the prefetch
            read_vouchers(basket, basket._state.db or "default")
        return super().get_basket_offers(basket, user)


def wants_basket_lines(request) -> None:
    """This request's page reads the basket's lines: read them when the basket is loaded (call it
    before the page first touches request.basket)."""
    setattr(request, LINES_WANTED, True)


class BasketMiddleware(CoreBasketMiddleware):
    def apply_offers_to_basket(self, request, basket):
        if getattr(request, LINES_WANTED, False) and basket.id is not None:
            len(basket.all_lines())  # is_empty then counts them without a query
        if not basket.is_empty:  # Oscar's Applicator.apply, the offers kept
            applicator = CompiledReadsApplicator()
            basket.offers_found = applicator.get_offers(basket, request.user, request)
            applicator.apply_offers(basket, basket.offers_found)

"""The product page, with the OCOP record behind its badge (Oscar loads this class by get_class)."""
from django.conf import settings
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from catalog_ext.badges import with_badges
from catalog_ext.product_page import product_page_context
from listing.page_cache import CachedPageMixin
from listing.products import related_products


class ProductDetailView(CachedPageMixin, OscarProductDetailView):
    def page_cache_options(self, request, *args, **kwargs):
        # Recently viewed products and the wish-list buttons are visitor parts of the page (and the
        # stock alert form of a sold-out product a page-bound one, listing.page_parts); a cached
        # page still records the view (cookie, analytics) as Oscar's get() does.
        return {"sets_cookies": (settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME,), "on_hit": self.record_view,
                "stock_of": int(kwargs["pk"])}  # its counts are on the page: keyed by its stock version

    def record_view(self, request, response):
        self.send_signal(request, response, self.model(pk=int(self.kwargs["pk"])))  # the id, as Oscar records it

    def get_queryset(self):
        # Badge facts, producer and GI come with the product itself: the page's OCOP panels then
        # cost a fixed two or three queries (certificates, and the GI licence and area when shown).
        return with_badges(super().get_queryset().select_related("producer", "gi"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(product_page_context(self.object))
        ctx["related_products"] = related_products(self.object)
        return ctx

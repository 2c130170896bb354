"""The product page, with the OCOP record behind its badge (Oscar loads this class by get_class)."""
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from catalog_ext.badges import with_badges
from catalog_ext.product_page import product_page_context


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        # Badge facts, producer and GI come with the product itself: the page's OCOP panels then
        # cost a fixed two or three queries (certificates, and the GI licence and area when shown).
        return with_badges(super().get_queryset().select_related("producer", "gi"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(product_page_context(self.object))
        return ctx

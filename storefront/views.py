"""The storefront's own pages that are not Oscar's: the front page."""
from django.urls import reverse
from django.views.generic import TemplateView

from listing.page_cache import CachedPageMixin

from .home import home_sections


class HomeView(CachedPageMixin, TemplateView):
    """The storefront's front page (storefront.home): highlights, ways in, stories, showrooms.
    Rendered once per day and catalogue version for anonymous visitors (listing.page_cache)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(home_sections(reverse("catalogue:index")))
        return ctx

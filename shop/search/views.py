"""Browsing and search on the database, replacing Oscar's haystack-backed views.

Oscar 4 browses through haystack; with its simple backend it lists no products at all
(django-oscar issue 4366) and a search server is one more thing to run. These views list
products with the ORM instead, with a constant number of queries per page.
"""
from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


def browsable_products():
    """Public, browsable products with everything a product card needs fetched up front."""
    return (
        Product.objects.browsable()
        .base_queryset()
        .prefetch_related("categories")
        .order_by("-date_created", "-pk")
    )


class ProductListView(ListView):
    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE

    def get_queryset(self):
        return browsable_products()

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except (Http404, InvalidPage) as exc:
            raise PageOutOfRange from exc

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except PageOutOfRange:
            messages.error(request, _("The given page number was invalid."))
            return redirect(request.path)


class PageOutOfRange(Exception):
    pass


class CatalogueView(ProductListView):
    template_name = "oscar/catalogue/browse.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("All products")
        return ctx


class ProductCategoryView(ProductListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=self.kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        expected = self.category.get_absolute_url()
        if expected != request.path:
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        categories = self.category.get_descendants_and_self()
        return browsable_products().filter(categories__in=categories).distinct()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx


class FacetedSearchView(ProductListView):
    """Plain search over product titles; the catalogue app replaces this with folded search."""

    template_name = "oscar/search/results.html"

    def get(self, request, *args, **kwargs):
        self.query = request.GET.get("q", "").strip()[:200]
        user_search.send(sender=self, session=request.session, user=request.user, query=self.query)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.query:
            return Product.objects.none()
        return browsable_products().filter(title__icontains=self.query)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.query
        return ctx

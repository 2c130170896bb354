"""Browsing and search on the database, replacing Oscar's haystack-backed views.

Oscar 4 browses through haystack; with its simple backend it lists no products at all
(django-oscar issue 4366) and a search server is one more thing to run. These views list
products with the ORM instead, with a constant number of queries per page: filters, facet counts
and ranking are listing.filters and listing.ranking, a search page's candidates, order and facets
listing.search_results, the cards listing.cards; the views only wire them to requests.
"""
from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.generic import ListView
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from core import ratelimits
from listing import page_cache, page_layout, search_html, synonyms
from listing.cards import ListedProducts
from listing.filters import Filters
from listing.page_cache import CachedPageMixin, catalogue_state
from listing.products import browsable_products, card_products
from listing.ranking import SearchQuery
from listing.search_results import search_results
from listing.suggest import suggestions

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")

FACET_TITLES = {
    "stars": _("OCOP stars"),
    "gi": _("Geographical indication"),
    "group": _("OCOP product group"),
    "producer": _("Producer"),
    "commune": _("Ward or commune"),
    "in_stock": _("Availability"),
}
FILTER_NAMES = {
    **FACET_TITLES,
    "price_min": _("Minimum price"),
    "price_max": _("Maximum price"),
    "sort": _("Sort by"),
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "stars": _("OCOP stars"),
    "price_asc": _("Price, low to high"),
    "price_desc": _("Price, high to low"),
    "newest": _("Newest"),
}


class PageOutOfRange(Exception):
    pass


class ProductPaginator(Paginator):
    """Pages over product ids first; a page's products are loaded only when its cards need them.

    Sorting the full listing query would compute every card annotation (badges, price, stock) for
    every matching product before the LIMIT; the id query only computes what filtering and sorting
    need. A page's object_list is then its ids (listing.cards.ListedProducts): the cards drawn
    from the card cache need no product loaded at all, the others are loaded together.
    `object_list` is a queryset (its ids are read a page at a time) or the ids themselves, in order.
    """

    def __init__(self, object_list, per_page, *, cards=None, count=None, **kwargs):
        # The cards query is the unfiltered listing: the ids already carry filters and search, and
        # repeating a search condition there could make the database scan every match again. Built
        # only when a card must be drawn from a loaded product (`cards` may be a function making it):
        # a page whose cards are all cached or drawn from their facts rows never needs it.
        self.cards = cards if cards is not None else card_products
        if isinstance(object_list, QuerySet):
            object_list = object_list.prefetch_related(None).values_list("pk", flat=True)
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:  # already known (the facet combinations', a search's candidates)
            self.count = count

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(ListedProducts(list(object_list), self.cards), number, paginator)


class ProductListView(CachedPageMixin, ListView):
    """A filtered, sorted, paginated listing. Subclasses scope it (`scoped_queryset`).

    Whole pages are cached for anonymous visitors with an empty basket (listing.page_cache)."""

    context_object_name = "products"
    paginator_class = ProductPaginator
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    default_sort = "newest"
    sorts = ("newest", "stars", "price_asc", "price_desc")

    def scoped_queryset(self):
        return browsable_products()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # The facet combinations count the listing too (Filters.count_from): no COUNT query.
        if "count" not in kwargs:
            kwargs["count"] = self.filters.count_from(self.facet_combos())
        return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page,
                                     cards=card_products, **kwargs)

    def facet_scope(self):
        """What names this listing's products for the facet cache (Filters.facets(cache_as=...))."""
        return ("catalogue",)

    def facet_cache_key(self):
        state = catalogue_state(self.request)
        return None if state is None else (*self.facet_scope(), translation.get_language(), state)

    def facet_combos(self):
        if not hasattr(self, "_facet_combos"):
            self._facet_combos = self.filters.facet_combos(self.scope, cache_as=self.facet_cache_key())
        return self._facet_combos

    def facet_counts(self):
        return self.filters.facets_from(self.facet_combos())

    def get_queryset(self):
        self.scope = self.scoped_queryset()
        return self.filters.sort_queryset(self.filters.apply(self.scope))

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except (Http404, InvalidPage) as exc:
            raise PageOutOfRange from exc

    def parse_request(self, request):
        self.filters = Filters.parse(request.GET, default_sort=self.default_sort, sorts=self.sorts)

    def get(self, request, *args, **kwargs):
        self.parse_request(request)
        try:
            return super().get(request, *args, **kwargs)
        except PageOutOfRange:
            messages.error(request, _("The given page number was invalid."))
            return redirect(request.path + self.filters.url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filters = self.filters
        facets = self.facet_counts()
        ctx.update(
            filters=filters,
            facet_groups=[{"name": name, "title": FACET_TITLES[name], "options": options}
                          for name, options in facets.items()],
            active_filters=_active_filters(filters, facets),
            rejected_filters=[FILTER_NAMES.get(name, name) for name in filters.rejected],
            sort_options=[(key, SORT_LABELS[key], filters.url(sort=key), key == filters.sort) for key in self.sorts],
            clear_filters_url=filters.cleared().url(),
        )
        return ctx


def _active_filters(filters, facets):
    """One removable chip per active filter, labelled as in the panel."""
    chips = [{"label": f"{FACET_TITLES[name]}: {option.label}", "url": option.url}
             for name, options in facets.items() for option in options if option.selected]
    for name in ("price_min", "price_max"):
        value = getattr(filters, name)
        if value is not None:
            chips.append({"label": f"{FILTER_NAMES[name]}: {currency(value)}", "url": filters.url(**{name: None})})
    return chips


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

    def scoped_queryset(self):
        # EXISTS rather than a join: no DISTINCT, so facet counts and sorting stay simple.
        in_category = ProductCategory.objects.filter(
            product=OuterRef("pk"), category__in=self.category.get_descendants_and_self()
        )
        return browsable_products().filter(Exists(in_category))

    def facet_scope(self):
        return ("category", self.category.pk)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx


class FacetedSearchView(ProductListView):
    """Accent-free search over the folded search column, ranked, with the catalogue's filters."""

    template_name = "oscar/search/results.html"
    default_sort = "relevance"
    sorts = ("relevance", "newest", "stars", "price_asc", "price_desc")
    # The template's blocks that show the words, the filters and the results: the rest of the page
    # is the layout (listing.page_layout).
    slots = ("title", "breadcrumbs", "column_left", "headertext", "content")

    # Counted before the page cache: a search served from it still counts, since the words (and so
    # the cache key) are the caller's to vary, and every new combination is a full ranked query.
    @transaction.non_atomic_requests  # as CachedPageMixin.dispatch
    def dispatch(self, request, *args, **kwargs):
        refused = ratelimits.over_limit(request, group="search", rate_setting="RATELIMIT_SEARCH")
        return refused if refused is not None else super().dispatch(request, *args, **kwargs)

    def _parse(self, request):
        self.query = SearchQuery.parse(request.GET.get("q"))
        super().parse_request(request)
        self.filters = self.filters.with_query(self.query.text)  # filter and sort links keep the words

    def parse_request(self, request):
        if getattr(self, "_parsed", None) is not request:
            self._parse(request)
        if self.query.text:
            user_search.send(sender=self, session=request.session, user=request.user, query=self.query.text)

    def page_cache_options(self, request, *args, **kwargs):
        return {"read_with_page": self._read_with_page}

    def _read_with_page(self, request) -> list[str]:
        """What get_queryset() reads of the cache, asked with the page's key (page_cache.serve): a
        new search then reads the page, its stored combinations and the synonyms in one round trip."""
        self._parse(request)
        self._parsed = request
        return self._cache_keys()

    def _cache_keys(self) -> list[str]:
        key = self.filters.combos_key(self.facet_cache_key())
        return [key, synonyms.CACHE_KEY] if key is not None else [synonyms.CACHE_KEY]

    def get_queryset(self):
        # listing.search_results: the newest SEARCH_CAP matches of the filters, in the chosen
        # order, their count and (unless cached) the facet combinations, in one to three queries.
        # The stored combinations and the synonyms table in one round trip; the combinations of a
        # new search are kept with its page (one round trip for both).
        cache_as = self.facet_cache_key()
        found = page_cache.found_with_page(self.request, self._cache_keys())
        if found is None:  # not read with the page (a cookieless visitor, the page cache off)
            key = self.filters.combos_key(cache_as)
            found = synonyms.read_beside([key] if key is not None else [])
        self.combos = self.filters.cached_combos(cache_as, found)
        with synonyms.known(found):
            results = search_results(self.query, self.filters, facets=self.combos is None)
        if self.combos is None:
            self.combos = results.combos
            self.filters.store_combos(cache_as, self.combos, store=page_cache.keep_with_page(self.request))
        self.best = results.best
        return list(results.ids)

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page,
                                     count=self.best.count, **kwargs)

    def facet_combos(self):
        # Without faceted filters the candidates are the facets' own; with them, the newest
        # matches before those filters (Filters.facet_combos' answer, cached under the words).
        return self.combos

    def facet_scope(self):
        # The candidates follow from the words, the price range (in the key) and the catalogue.
        return ("search", self.query.phrase)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.query.text
        ctx["searched"] = bool(self.query)
        ctx["more_than"] = self.best.cap if self.best.more else None
        return ctx

    def render_to_response(self, context, **response_kwargs):
        # The layout around the words' own blocks drawn once (listing.page_layout), when the page
        # cache renders the page; else the template's own render.
        response = page_layout.respond(self.request, self.get_template_names(), context, self.slots,
                                       writer=search_html.blocks if self.slots == search_html.SLOTS else None)
        return response if response is not None else super().render_to_response(context, **response_kwargs)


@ratelimits.limit("suggest", "RATELIMIT_SUGGEST")  # outermost: a 429 is never marked cacheable
@cache_control(public=True, max_age=60)
def suggest(request):
    """Autocomplete for the search box: up to eight products as JSON, for two characters or more."""
    query = SearchQuery.parse(request.GET.get("q"))
    return JsonResponse({"query": query.text, "results": suggestions(query, request=request)})

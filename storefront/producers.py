"""The public producer pages: who makes OCOP products, where, and what they sell.

Only partners with a producer kind are producers (showrooms and other partners are not listed).
"""
from __future__ import annotations

import zlib

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from oscar.core.loading import get_model

from catalog_ext.badges import with_badges
from catalog_ext.choices import ProducerKind
from catalog_ext.models import GILicence
from core.places import son_la_wards, ward_name
from listing.products import browsable_products
from storefront.trace import may_print_labels

Partner = get_model("partner", "Partner")


PLACEHOLDER_COLOURS = ("#2e7d32", "#00695c", "#6d4c41", "#ad1457", "#1565c0", "#ef6c00", "#4527a0")
# Words of a producer's legal form that say nothing about who they are: skipped for initials.
LEGAL_FORM_WORDS = {"htx", "công", "ty", "tnhh", "cp", "tổ", "hợp", "tác", "hộ", "kinh", "doanh", "cổ", "phần"}


def producers():
    """Partners that are producers, with their number of products on sale."""
    public = Q(produced_products__is_public=True)
    return (Partner.objects.exclude(kind="")
            .annotate(product_count=Count("produced_products", filter=public, distinct=True))
            .order_by("name"))


def producer_products(partner):
    """The producer's public products as catalogue cards, with today's badges in the same query."""
    return with_badges(browsable_products().filter(producer=partner)).select_related("gi")


def valid_licences(partner):
    return GILicence.objects.valid().filter(producer=partner).select_related("gi").order_by("gi__name")


def initials(name: str) -> str:
    """Two letters for a logo placeholder, from the words after the legal form ("HTX Cà phê
    Chiềng Mai" → "CM")."""
    words = [w for w in name.split() if w.lower() not in LEGAL_FORM_WORDS] or name.split() or ["?"]
    return "".join(w[0] for w in words[-2:]).upper()


def placeholder_colour(code: str) -> str:
    """A stable colour per producer, so a placeholder logo is recognisable from page to page."""
    return PLACEHOLDER_COLOURS[zlib.crc32(code.encode()) % len(PLACEHOLDER_COLOURS)]


def _ward_code_or_none(value: str | None) -> int | None:
    """A Sơn La ward code from the query string; anything else (typo, overflow) means no filter."""
    if not value or not value.isdigit() or len(value) > 9:
        return None
    code = int(value)
    return code if any(code == known for known, _ in son_la_wards()) else None


class ProducerListView(ListView):
    template_name = "ocop/producers/list.html"
    context_object_name = "producers"
    paginate_by = 30

    def get(self, request, *args, **kwargs):
        # Unknown filter values show every producer rather than an error page.
        self.commune = _ward_code_or_none(request.GET.get("commune"))
        kind = request.GET.get("type", "")
        self.kind = kind if kind in ProducerKind.values else ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = producers()
        if self.commune:
            qs = qs.filter(ward_code=self.commune)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        codes = sorted(set(Partner.objects.exclude(kind="").exclude(ward_code=None).values_list("ward_code", flat=True)))
        ctx["communes"] = sorted(((c, ward_name(c)) for c in codes if ward_name(c)), key=lambda cn: cn[1])
        ctx["kinds"] = ProducerKind.choices
        ctx["selected_commune"] = self.commune
        ctx["selected_kind"] = self.kind
        ctx["selected_commune_name"] = ward_name(self.commune)
        for producer in ctx["producers"]:
            producer.placeholder = {"initials": initials(producer.name), "colour": placeholder_colour(producer.code)}
        return ctx


class ProducerDetailView(DetailView):
    template_name = "ocop/producers/detail.html"
    context_object_name = "producer"

    def get_object(self, queryset=None):
        return get_object_or_404(Partner.objects.exclude(kind=""), code=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        producer = self.object
        ctx["products"] = list(producer_products(producer)[: settings.OSCAR_PRODUCTS_PER_PAGE * 4])
        ctx["licences"] = list(valid_licences(producer))
        ctx["placeholder"] = {"initials": initials(producer.name), "colour": placeholder_colour(producer.code)}
        user = self.request.user
        ctx["can_print_labels"] = user.is_authenticated and may_print_labels(user, producer)
        return ctx

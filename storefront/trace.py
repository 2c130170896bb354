"""QR traceability: a short, stable page per product that a phone reaches by scanning the label.

The code in `/p/<code>/` is the product's UPC (its barcode, printed on the package anyway) and,
for a product without one, its primary key. Neither changes when the product is renamed or
re-rated; the page always reads today's certificate status from the record, so a printed label
never claims more than the record does (OCOP.md: "information, not proof" otherwise).

A UPC is looked up first; a number that is no product's UPC is taken as the primary key of a
product that has no usable UPC (so setting a UPC later changes the product's code: print labels
after). A UPC with characters a URL path segment cannot carry safely is not used as a code.
"""
from __future__ import annotations

import io

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.badges import badges_for, with_badges
from catalog_ext.labels import SAFE_UPC, short_code, trace_path
from catalog_ext.models import Certificate
from catalog_ext.product_page import certificate_panel, gi_panel

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")

# Error correction M survives a scuffed label; the border is the quiet zone QR readers need.
QR_OPTIONS = {"error": "m"}
QR_BORDER = 2
QR_CACHE_SECONDS = 7 * 24 * 3600  # the image depends only on the code and the host


def product_for_code(code: str, queryset=None):
    """The public product a label's code names, or 404."""
    qs = queryset if queryset is not None else Product.objects.all()
    qs = qs.filter(is_public=True)
    if SAFE_UPC.fullmatch(code):
        product = qs.filter(upc=code).first()
        if product is not None:
            return product
    if code.isdigit() and len(code) <= 18:  # a primary key (and no integer overflow)
        product = qs.filter(pk=int(code)).first()
        if product is not None and short_code(product) == code:
            return product
    raise Http404("No product has this code.")


def qr_for(request, product) -> segno.QRCode:
    return segno.make(request.build_absolute_uri(trace_path(product)), **QR_OPTIONS)


def traceable_products(partner):
    """A producer's public products with a certificate on record (the ones that carry a label)."""
    on_record = Certificate.objects.filter(product=OuterRef("pk"))
    return with_badges(Product.objects.filter(producer=partner, is_public=True).filter(Exists(on_record))
                       .order_by("title", "pk"))


def may_print_labels(user, partner) -> bool:
    """Office staff print for any producer; a producer's own users for that producer only."""
    return user.is_staff or partner.users.filter(pk=user.pk).exists()


@require_safe
def product_page(request, code):
    product = product_for_code(code, Product.objects.select_related("producer", "gi"))
    on = rules.today()
    badges = badges_for(product, on)
    context = {
        "product": product,
        "badges": badges,
        "panel": certificate_panel(product, on),
        "gi_panel": gi_panel(product, badges, on),
        "producer": product.producer if product.producer_id and product.producer.is_producer else None,
        "today": on,
    }
    response = render(request, "ocop/trace/product.html", context)
    # The status is read live: a revoked certificate must not linger in a cache.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


def _qr_response(content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    patch_cache_control(response, public=True, max_age=QR_CACHE_SECONDS)
    return response


@require_safe
def qr_svg(request, code):
    qr = qr_for(request, product_for_code(code))
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=8, border=QR_BORDER, xmldecl=True, svgns=True)
    return _qr_response(out.getvalue(), "image/svg+xml")


@require_safe
def qr_png(request, code):
    qr = qr_for(request, product_for_code(code))
    out = io.BytesIO()
    qr.save(out, kind="png", scale=8, border=QR_BORDER)
    return _qr_response(out.getvalue(), "image/png")


def printable_producers(user):
    """The producers whose labels this user may print (see may_print_labels)."""
    qs = Partner.objects.exclude(kind="").order_by("name")
    return qs if user.is_staff else qs.filter(users=user)


@login_required
@require_safe
def label_sheet(request):
    """An A4 sheet of QR labels for one producer's certified products, to print and stick on."""
    slug = request.GET.get("producer", "")
    if not slug:
        allowed = list(printable_producers(request.user)[:2])
        if len(allowed) != 1:  # staff, or a user of several producers: say which
            return render(request, "ocop/trace/labels.html", {"choices": printable_producers(request.user)})
        partner = allowed[0]
    else:
        partner = get_object_or_404(Partner.objects.exclude(kind=""), code=slug)
    if not may_print_labels(request.user, partner):
        raise PermissionDenied
    labels = []
    for product in traceable_products(partner):
        labels.append({"product": product, "badges": badges_for(product), "path": trace_path(product),
                       "svg": qr_for(request, product).svg_inline(scale=3, border=QR_BORDER)})
    return render(request, "ocop/trace/labels.html", {"producer": partner, "labels": labels})

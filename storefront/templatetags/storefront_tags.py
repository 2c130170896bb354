from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from storefront import seo
from storefront.images import picture

register = template.Library()


@register.simple_tag
def product_img(image, alt, kind="card", sizes="", eager=False, css_class=""):
    """A product photo as a sized, lazily loaded <img> with a srcset, or the placeholder art.

    eager: the photo is above the fold (the product page's main photo), so it loads at once."""
    pic = picture(image, kind)
    loading = "eager" if eager else "lazy"
    classes = " ".join(c for c in (css_class, "is-placeholder" if pic.placeholder else "") if c)
    if pic.srcset:
        return format_html('<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" '
                           'decoding="async" class="{}">', pic.src, pic.srcset, sizes or f"{pic.width}px",
                           pic.width, pic.height, alt, loading, classes)
    return format_html('<img src="{}" width="{}" height="{}" alt="{}" loading="{}" class="{}">',
                       pic.src, pic.width, pic.height, alt, loading, classes)


@register.simple_tag
def image_url(image, kind="main"):
    """The URL of a product photo at a page's size (for Open Graph and JSON-LD), or ''."""
    pic = picture(image, kind)
    if pic.placeholder:
        return ""
    return pic.srcset.split(", ")[-1].rsplit(" ", 1)[0]


@register.inclusion_tag("ocop/layout/seo_links.html", takes_context=True)
def seo_links(context):
    request = context.get("request")
    return seo.head_links(request) if request is not None else {}


@register.simple_tag(takes_context=True)
def product_json_ld(context, product, image_url="", purchase_info=None):
    request = context["request"]
    data = seo.product_json_ld(request, product, image_url=image_url, purchase_info=purchase_info,
                               producer=context.get("producer"), badges=context.get("ocop_badges"))
    # A data block, never run, but strict script-src would still report it: it carries the nonce.
    nonce = getattr(request, "csp_nonce", None)  # lazy: bool() is False until read, so read it
    nonce = str(nonce) if nonce is not None else ""
    nonce_attr = format_html(' nonce="{}"', nonce) if nonce else ""
    return mark_safe(f'<script type="application/ld+json"{nonce_attr}>{data}</script>')


@register.filter
def absolute_url(path, request):
    return seo.absolute(request, path) if path else ""


@register.inclusion_tag("ocop/producers/logo.html")
def producer_mark(producer, size=64):
    """The producer's logo, or their initials on a stable colour when they have none."""
    from storefront.producers import initials, placeholder_colour

    return {"producer": producer, "size": size,
            "placeholder": {"initials": initials(producer.name), "colour": placeholder_colour(producer.code)}}

"""`{% line_badges product %}` (shop/order/templatetags/ocop_line_badges.py) writes what
`{% include "ocop/line_badges.html" %}` writes under a basket, checkout or order line, and renders
that template only once per kind of badge and language (issue 21)."""
import pytest
from django.template import engines
from django.test.signals import template_rendered
from django.utils import translation
from oscar.core.loading import get_model

from catalog_ext.badges import attach_badges, badges_for
from shop.order.templatetags import ocop_line_badges

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")


def _both(product) -> tuple[str, str]:
    engine = engines["django"]
    context = {"product": product}
    include = engine.from_string('{% include "ocop/line_badges.html" %}').render(context)
    tag = engine.from_string("{% load ocop_line_badges %}{% line_badges product %}").render(context)
    return include, tag


def test_every_demo_products_badges_are_written_as_the_include_writes_them():
    ocop_line_badges._kept.clear()
    products = list(Product.objects.order_by("pk"))
    attach_badges(products)
    kinds = {badges_for(p) for p in products}
    assert any(b.has_stars for b in kinds) and any(b.has_gi for b in kinds) and any(not b for b in kinds)
    for language in ("vi", "en"):
        with translation.override(language):
            for product in products:
                include, tag = _both(product)
                assert tag == include, (language, product.upc)
    include, tag = _both(None)
    assert tag == include


def test_a_kind_of_badge_is_rendered_once():
    """Fails on the include: ocop/line_badges.html and ocop/badges.html rendered for every line."""
    ocop_line_badges._kept.clear()
    products = list(Product.objects.order_by("pk"))
    attach_badges(products)
    rendered = []

    def seen(sender, template, **kwargs):
        rendered.append(template.name)

    engine = engines["django"].from_string("{% load ocop_line_badges %}{% line_badges product %}")
    template_rendered.connect(seen)
    try:
        with translation.override("vi"):
            for product in products + products:
                engine.render({"product": product})
    finally:
        template_rendered.disconnect(seen)
    kinds = len({badges_for(p) for p in products})
    assert rendered.count("ocop/line_badges.html") == kinds < len(products)

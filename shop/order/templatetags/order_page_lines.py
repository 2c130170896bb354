"""`{% order_page_lines order user as lines %}`: an order's lines as the shopper's order page shows
them (product, options, today's OCOP badge, "Write a review"), in a fixed number of queries
whatever the number of lines. Oscar's template asks each line for its product, its options
(`line.description`) and whether its product was reviewed by this shopper: three queries a line."""
from django import template
from django.conf import settings
from oscar.core.loading import get_model

from catalog_ext.badges import attach_badges

register = template.Library()
ProductReview = get_model("reviews", "ProductReview")


@register.simple_tag
def order_page_lines(order, user) -> list:
    lines = list(order.lines.select_related("product").prefetch_related("attributes__option"))
    products = [line.product for line in lines if line.product is not None]
    attach_badges(products)
    # Oscar's Product.is_review_permitted, asked once for the page: one review per shopper and product.
    may_review = user.is_authenticated or settings.OSCAR_ALLOW_ANON_REVIEWS
    reviewed = set()
    if user.is_authenticated and products:
        reviewed = set(ProductReview.objects.filter(user=user, product__in=products)
                       .values_list("product_id", flat=True))
    for line in lines:
        line.review_permitted = may_review and line.product_id not in reviewed
    return lines

"""The basket's lines, its vouchers and the site's offers, read with SQL compiled once (issue 21).

Every signed-in basket and checkout page loads the request's basket in the basket middleware:
Oscar's `all_lines()` queryset (the lines with their products, classes and stock records, then two
prefetches: the lines' options and the products' images), `basket.vouchers.all()` and the site's
active offers (Oscar's Applicator). The ORM compiled those five queries again on every request, and
walked its prefetch machinery for two plain "rows of these ids" reads: about a third of the
payment step's Python work. Here each query is the one Django writes for it, compiled once per
connection (core/prepared.py: Django's own compiler, converters and row-to-object code), and the
objects are tied together as Django ties them:

- each line's `basket` is the basket (the related manager's known object), its `attributes` are
  kept as a prefetch (each attribute's `line` set to its line);
- each product's `images` are kept as a prefetch, in the query's order (each image's `product` set
  to the product of that id, the last one read, as Django's prefetch sets it);
- the basket's vouchers are kept as a prefetch of `vouchers` (`basket.vouchers.all()` then asks
  nothing; adding or removing one forgets them, as Django forgets a prefetch);
- the site's offers are Oscar's `ConditionalOffer.active` rows of type SITE, condition and
  benefit joined, at this instant.

Which rows, in which order, and every value stay the ORM's (tests/basket/test_compiled_reads.py
compares the SQL and the objects with Oscar's and Django's)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from core.prepared import Prepared, id_placeholder
from shop.basket.models import HAS_OPTIONS, LINE_RELATED, know_prefetched, line_annotations, line_badge_annotations


def _lines_query(on, basket_id):
    """all_lines()' queryset, with the web record, the options' presence and `on`'s badge facts of each
    line (shop/basket/models.py)."""
    Line = get_model("basket", "Line")
    return (Line._default_manager.filter(basket=basket_id).select_related(*LINE_RELATED)
            .annotate(**line_annotations(), **line_badge_annotations(on)).order_by("pk"))


def _attributes_query(shape, *line_ids):
    LineAttribute = get_model("basket", "LineAttribute")
    return LineAttribute._default_manager.filter(line__in=line_ids)


def _images_query(shape, *product_ids):
    ProductImage = get_model("catalogue", "ProductImage")
    return ProductImage._default_manager.filter(product__in=product_ids)


def _vouchers_query(shape, basket_id):
    Voucher = get_model("voucher", "Voucher")
    return Voucher._default_manager.filter(basket__id=basket_id)


def site_offers_query(shape, cutoff_end, cutoff_start):
    """Oscar's `Applicator.get_site_offers` (ConditionalOffer.active, its ActiveOfferManager's
    filter written out with the instant as a value), the instant given at each run."""
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    return (ConditionalOffer._default_manager
            .filter(Q(end_datetime__gte=cutoff_end) | Q(end_datetime=None),
                    Q(start_datetime__lte=cutoff_start) | Q(start_datetime=None))
            .filter(status=ConditionalOffer.OPEN)
            .filter(offer_type=ConditionalOffer.SITE)
            .select_related("condition", "benefit"))


# Instants nobody passes to a query, to be found again in the compiled params (as Prepared's ints).
_INSTANT_BASE = datetime(1111, 1, 1, tzinfo=UTC)


def _instant_placeholder(n: int):
    return _INSTANT_BASE + timedelta(seconds=n)


_LINES = Prepared(_lines_query, name="basket_lines", placeholder=id_placeholder)
_ATTRIBUTES = Prepared(_attributes_query, name="basket_line_attributes", placeholder=id_placeholder)
_IMAGES = Prepared(_images_query, name="basket_product_images", placeholder=id_placeholder)
_VOUCHERS = Prepared(_vouchers_query, name="basket_vouchers", placeholder=id_placeholder)
def _as_instant_param(value, connection):
    """An instant as a datetime field puts it among a query's params (text on SQLite)."""
    field = get_model("offer", "ConditionalOffer")._meta.get_field("start_datetime")
    return field.get_db_prep_value(value, connection)


_SITE_OFFERS = Prepared(site_offers_query, name="site_offers", placeholder=_instant_placeholder,
                        adapt=_as_instant_param)


def read_lines(basket, db: str) -> list:
    """The lines of `basket.all_lines()` (Oscar's queryset, our joins and prefetches), as Django
    would read them: three queries, none compiled again; two when no line has options (their
    statement then names only the lines that have some)."""
    Line = get_model("basket", "Line")
    from catalog_ext import rules

    lines = _LINES.run(rules.today(), [basket.pk], using=db)  # today's badges: a shape a day
    for line in lines:  # the related manager knows its basket: every line's is this object
        Line.basket.field.set_cached_value(line, basket)
    # only the lines the lines' query says have options (HAS_OPTIONS): none, most of the time
    with_options = [line.pk for line in lines if line.__dict__.get(HAS_OPTIONS, True)]
    attributes = _ATTRIBUTES.run(len(with_options), with_options, using=db) if with_options else []
    by_line: dict = {}
    lines_by_pk = {line.pk: line for line in lines}
    for attribute in attributes:
        type(attribute).line.field.set_cached_value(attribute, lines_by_pk[attribute.line_id])
        by_line.setdefault(attribute.line_id, []).append(attribute)
    for line in lines:
        know_prefetched(line, "attributes", by_line.get(line.pk, []))
    products = [line.product for line in lines if line.product is not None]
    if products:
        products_by_pk = {product.pk: product for product in products}  # Django's: the last of an id
        images = _IMAGES.run(len(products_by_pk), list(products_by_pk), using=db)
        by_product: dict = {}
        for image in images:
            type(image).product.field.set_cached_value(image, products_by_pk[image.product_id])
            by_product.setdefault(image.product_id, []).append(image)
        for product in products:
            know_prefetched(product, "images", by_product.get(product.pk, []))
    return lines


def read_vouchers(basket, db: str) -> list:
    """`basket.vouchers.all()`, read with SQL compiled once and kept as its prefetch."""
    cached = getattr(basket, "_prefetched_objects_cache", {}).get("vouchers")
    if cached is not None:
        return list(cached)
    vouchers = _VOUCHERS.run(None, [basket.pk], using=db)
    know_prefetched(basket, "vouchers", vouchers)
    return vouchers


def read_site_offers(db: str = "default") -> list:
    """Oscar's site offers (`Applicator.get_site_offers`, evaluated) at this instant."""
    cutoff = timezone.now()  # looked up per call: the shop's one clock, as a test that moves time patches it
    return _SITE_OFFERS.run(None, [cutoff, cutoff], using=db)


# ------------------------------------------------------------- a shopper's open or saved basket
def _owned_basket_query(shape, owner_id):
    """A shopper's basket of one status, as QuerySet.get reads it (no ordering, at most
    MAX_GET_RESULTS rows): `shape` is (how, status): ("get", …) is `Basket.saved.get(owner=…)`,
    ("get_or_create", …) the read of `Basket.open.get_or_create(owner=…)` (Oscar's manager adds the
    status to the lookups: the SQL names it twice)."""
    from django.db.models.query import MAX_GET_RESULTS

    how, status = shape
    Basket = get_model("basket", "Basket")
    manager = Basket.open if status == Basket.open.status_filter else Basket.saved
    lookups = {"status": status, "owner": owner_id} if how == "get_or_create" else {"owner": owner_id}
    return manager.filter(**lookups).order_by()[:MAX_GET_RESULTS]


_OWNED_BASKET = Prepared(_owned_basket_query, name="owned_basket", placeholder=id_placeholder)


def read_owned_baskets(how: str, status: str, owner, db: str) -> list:
    """The baskets of this status and owner (0, 1 or up to MAX_GET_RESULTS), as `get(owner=owner)`
    reads them (the owner not attached, as the ORM's filter leaves it)."""
    return _OWNED_BASKET.run((how, status), [owner.pk], using=db)


def saved_basket_of(user):
    """`Basket.saved.get(owner=user)` (the basket page's "items to buy later"): the same statement,
    compiled once; the same DoesNotExist, and Django's own MultipleObjectsReturned (read again)."""
    from django.db import router

    Basket = get_model("basket", "Basket")
    baskets = read_owned_baskets("get", Basket.saved.status_filter, user, router.db_for_read(Basket))
    if len(baskets) == 1:
        return baskets[0]
    if not baskets:
        raise Basket.DoesNotExist(f"{Basket._meta.object_name} matching query does not exist.")
    return Basket.saved.get(owner=user)  # raises Django's MultipleObjectsReturned, its own message

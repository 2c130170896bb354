"""Product cards, rendered once and reused: the cost of a listing page is mostly Oscar's card
template (about 5 ms a card), not its queries.

The cache key is made of everything the card shows — product and stock-record values (of stock,
only whether each record has a free unit: a card says "In stock" or "Unavailable", never a
count, so an order that leaves the product in stock keeps its card; catalog_ext.cache), today's
badge facts (from catalog_ext.badges), the product's images and class, the producer's name, the
language, and the card template's source and its writer's (listing.card_html). Any change to a price, stock level, certificate,
licence or template gives a new key, so a cached card can never show a stale badge or price (a
bare UPDATE that no signal sees included); old entries simply age out. The per-visitor CSRF
token is put in after the cache.

A listing page (ListedProducts: its ids, in order) reads those facts for its 24 products with
three small queries (PageRows), fetches every card from the cache at once, and draws only the
cards the cache did not have: from the very rows their facts were read from (PageRows.product: a
product made from them, no query; the full card query and its prefetches cost ~7 ms of CPU for a
page of new cards, issue 21), a parent from its loaded product (its card shows its children's
prices). A card loaded for drawing is stored under the facts of the product it was drawn from.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from oscar.core.loading import get_model
from oscar.templatetags.product_tags import render_product

from catalog_ext import rules
from catalog_ext.badges import with_badges

from .compiled import Compiled, together, where

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
Option = get_model("catalogue", "Option")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
GI = Product._meta.get_field("gi").related_model

CARD_SECONDS = 24 * 3600
CSRF_MARK = "__OCOP_CSRF_TOKEN__"
# The template a card is drawn from, and the module that writes its markup (listing.card_html):
# editing either changes every key.
CARD_TEMPLATE = "oscar/catalogue/partials/product.html"
_templates_digest: str | None = None


def templates_digest() -> str:
    """Our card template's source, its writer's (listing.card_html) and Oscar's version (our
    product.html extends Oscar's own)."""
    global _templates_digest
    if _templates_digest is None:
        import oscar

        from . import card_html

        sources = [get_template(CARD_TEMPLATE).template.source, Path(card_html.__file__).read_text(encoding="utf-8"),
                   oscar.get_version()]
        _templates_digest = hashlib.sha1("\0".join(sources).encode()).hexdigest()[:12]
    return _templates_digest


def _facts(request, *, pk, date_updated, structure, title, slug, has_options, track_stock, records, images, producer,
           stars, potential_five, gi, shared: tuple | None = None) -> tuple | None:
    """The one layout of a card's facts, whichever way they were read. None for a parent product:
    its card shows its children's prices and stock, which are not among the facts (never cached).
    `shared`: _shared_facts(request), when already worked out for the page's other cards."""
    if structure == "parent":
        return None
    return (pk, date_updated.isoformat(), structure, title, slug, has_options, track_stock, tuple(sorted(records)),
            tuple(sorted(images)), producer, stars, potential_five, gi, *(shared or _shared_facts(request)))


def _shared_facts(request) -> tuple:
    """The facts every card of a page shares: the pricing strategy (price and availability come
    from it), the language, today and the card templates."""
    strategy = type(getattr(request, "strategy", None)).__name__
    return strategy, translation.get_language(), rules.today().isoformat(), templates_digest()


def _sellable(num_in_stock, num_allocated) -> bool:
    """What a card shows of a record's stock: a free unit or not (Oscar's StockRequired, on
    net_stock_level; a class that does not track stock is in the facts as track_stock)."""
    return (num_in_stock or 0) - (num_allocated or 0) > 0


def card_facts(product, request) -> tuple | None:
    """What the card shows, or None when the row lacks the listing annotations (then no cache)."""
    if not hasattr(product, "badge_gi_ok"):
        return None
    return _facts(
        request, pk=product.pk, date_updated=product.date_updated, structure=product.structure, title=product.title,
        slug=product.slug, has_options=bool(product.has_options),
        track_stock=product.product_class.track_stock if product.product_class_id else None,
        records=[(r.pk, str(r.price), _sellable(r.num_in_stock, r.num_allocated), r.partner_id)
                 for r in product.stockrecords.all()],
        images=[(i.display_order, i.pk, str(i.original)) for i in product.images.all()],
        producer=product.producer.name if product.producer_id else None,  # the card names its producer
        stars=product.badge_stars, potential_five=product.badge_potential_five,
        gi=(product.gi.slug, product.gi.name) if product.badge_gi_ok and product.gi_id else None)


class PageRows:
    """What the three facts queries read of a page's products (sent together: one round trip on
    PostgreSQL): each product's row (with its badges), its stock records' rows and its images'
    rows, by product id."""

    def __init__(self, ids):
        self.products, self.records, self.images = {}, defaultdict(list), defaultdict(list)
        if not ids:
            return
        queries = _facts_of_the_day()
        # one round trip for the three (listing.compiled.together)
        products, records, images = together([queries["products"], queries["records"], queries["images"]], ids)
        self.products = {row["pk"]: row for row in products}
        for r in records:
            self.records[r["product_id"]].append(r)
        for i in images:
            self.images[i["product_id"]].append(i)

    def facts(self, request) -> dict[int, tuple]:
        facts, shared = {}, _shared_facts(request)
        for pk, row in self.products.items():
            facts[pk] = _facts(
                request, pk=pk, date_updated=row["date_updated"], structure=row["structure"], title=row["title"],
                slug=row["slug"], has_options=row["has_class_options"] or row["has_own_options"],
                track_stock=row["product_class__track_stock"] if row["product_class_id"] else None,
                records=[(r["pk"], str(r["price"]), _sellable(r["num_in_stock"], r["num_allocated"]), r["partner_id"])
                         for r in self.records[pk]],
                images=[(i["display_order"], i["pk"], str(i["original"])) for i in self.images[pk]],
                producer=row["producer__name"] if row["producer_id"] else None,
                stars=row["badge_stars"], potential_five=row["badge_potential_five"],
                gi=(row["gi__slug"], row["gi__name"]) if row["badge_gi_ok"] and row["gi_id"] else None, shared=shared)
        return facts

    def product(self, pk):
        """The product `pk` as the card query loads it, made from these rows without a query: what
        a card reads of it (title, slug, class, producer, GI, badges, options, stock records,
        images), so that a card no page drew yet is drawn from the very facts its key is made of.
        Not for a parent, whose card reads its children (None then)."""
        row = self.products.get(pk)
        if row is None or row["structure"] == Product.PARENT:
            return None
        product = Product(id=pk, title=row["title"], slug=row["slug"], structure=row["structure"],
                          date_updated=row["date_updated"], is_public=True)
        if row["product_class_id"]:
            product.product_class = ProductClass(id=row["product_class_id"],
                                                 track_stock=row["product_class__track_stock"])
        if row["producer_id"]:
            product.producer = Partner(id=row["producer_id"], name=row["producer__name"])
        if row["gi_id"]:
            product.gi = GI(id=row["gi_id"], slug=row["gi__slug"], name=row["gi__name"])
        for name in ("badge_stars", "badge_potential_five", "badge_number", "badge_gi_ok"):
            setattr(product, name, row[name])
        # Oscar's has_options reads these annotations (as the card query's base_queryset gives them)
        product.has_product_class_options, product.has_product_options = row["has_class_options"], row["has_own_options"]
        records = [StockRecord(id=r["pk"], product_id=pk, partner_id=r["partner_id"], price=r["price"],
                               price_currency=r["price_currency"], num_in_stock=r["num_in_stock"],
                               num_allocated=r["num_allocated"]) for r in sorted(self.records[pk], key=lambda r: r["pk"])]
        images = [ProductImage(id=i["pk"], product_id=pk, display_order=i["display_order"], original=i["original"])
                  for i in sorted(self.images[pk], key=lambda i: (i["display_order"], i["pk"]))]
        product._prefetched_objects_cache = {"stockrecords": _prefetched(StockRecord, records),
                                             "images": _prefetched(ProductImage, images),
                                             "children": _prefetched(Product, [])}
        return product


def _prefetched(model, objects):
    """A queryset holding `objects`, as prefetch_related leaves one in a product's cache."""
    queryset = model._default_manager.all()
    queryset._result_cache, queryset._prefetch_done = objects, True
    return queryset


def listed_facts(ids, request) -> dict[int, tuple]:
    """card_facts() of the browsable products among `ids`, read without loading them: three queries
    (products with their badges, stock records, images), whatever the number of products."""
    if not ids:
        return {}
    return PageRows(ids).facts(request)


_facts_query: dict = {}


def _facts_of_the_day() -> dict[str, Compiled]:
    """The facts' three queries less their ids, built and compiled once a day per process (ORM
    work: listing.compiled)."""
    on = rules.today()
    queries = _facts_query.get(on)
    if queries is None:
        products = with_badges(Product.objects.browsable(), on).annotate(
            has_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
            has_own_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        ).order_by()
        facts = ("pk", "date_updated", "structure", "title", "slug", "product_class_id", "product_class__track_stock",
                 "producer_id", "producer__name", "gi_id", "gi__slug", "gi__name", "badge_stars",
                 "badge_potential_five", "badge_number", "badge_gi_ok", "has_class_options", "has_own_options")
        queries = {
            "products": Compiled(lambda ids: where(products, ids).values(*facts), table=Product._meta.db_table),
            "records": Compiled(lambda ids: where(StockRecord.objects.order_by(), ids).values(
                "product_id", "pk", "price", "price_currency", "num_in_stock", "num_allocated", "partner_id"),
                table=StockRecord._meta.db_table, column="product_id", field="product_id__in"),
            "images": Compiled(lambda ids: where(ProductImage.objects.order_by(), ids).values(
                "product_id", "display_order", "pk", "original"),
                table=ProductImage._meta.db_table, column="product_id", field="product_id__in"),
        }
        _facts_query.clear()
        _facts_query[on] = queries
    return queries


def card_key(facts: tuple) -> str:
    return "ocop:card:" + hashlib.sha1(repr(facts).encode()).hexdigest()


def _draw(context, product) -> str:
    """The card as Oscar's render_product draws it, from our one card template: not the product's
    own (upc-…) or its class's template, which render_product looks for first. The key holds only
    this template's source, so another would be cached under the wrong key; and a UPC is each
    product's own, so that look-up searched every template folder for a file that never exists,
    once per product (a look-up the template loader then kept), about a fifth of a new card's
    cost. The card reads nothing of the page but the request and the CSRF token (its cache
    stores it for every page), so it gets those alone, not the whole page's context flattened."""
    html = get_template(CARD_TEMPLATE).render({"request": context.get("request"), "product": product,
                                               "csrf_token": CSRF_MARK})
    # kept as a plain str: a page reads 24 from the cache, and unpickling a SafeString costs ~4× a
    # str's (it is marked safe again once its token is in)
    return str.__str__(html)


def _with_token(request, html: str) -> str:
    return mark_safe(html.replace(CSRF_MARK, get_token(request)))


def render_card(context, product) -> str:
    request = context.get("request")
    facts = card_facts(product, request) if request is not None else None
    if facts is None:
        return render_product(context, product)
    key = card_key(facts)
    html = cache.get(key)
    if html is None:
        html = _draw(context, product)
        cache.set(key, html, CARD_SECONDS)
    return _with_token(request, html)


class ListedProducts(Sequence):
    """One page of a listing: its product ids in order, loaded as products only when read (all of
    them, in one query and its prefetches) or, by render_cards, only those whose card must be
    drawn. A product that is no longer browsable when loaded is left out."""

    def __init__(self, ids, products):
        self.ids = list(ids)
        # the listing's card queryset (listing.products.card_products), or a function making it
        # (made at the first load: building it is ORM work a page of cached cards never needs)
        self._products = products
        self._loaded: dict[int, object] = {}

    def load(self, ids) -> dict[int, object]:
        wanted = [pk for pk in ids if pk not in self._loaded]
        if wanted:
            if not isinstance(self._products, QuerySet):
                self._products = self._products()
            self._loaded.update((p.pk, p) for p in self._products.order_by().filter(pk__in=wanted))
        return {pk: self._loaded[pk] for pk in ids if pk in self._loaded}

    def _all(self) -> list:
        products = self.load(self.ids)
        return [products[pk] for pk in self.ids if pk in products]

    def __len__(self):
        return len(self.ids)

    def __bool__(self):
        return bool(self.ids)

    def __getitem__(self, index):
        return self._all()[index]

    def __iter__(self):
        return iter(self._all())


def render_cards(context, products) -> list[str]:
    """Each product's card, in order. For a ListedProducts page: the facts of all its products
    (PageRows: three queries), every card from the cache at once, and only the missing ones drawn:
    from the rows the facts were read from (PageRows.product, no query), a parent from its loaded
    product (its card shows its children's prices)."""
    request = context.get("request")
    if not isinstance(products, ListedProducts) or request is None:
        return [render_card(context, product) for product in products]
    rows = PageRows(products.ids)
    facts = rows.facts(request)
    keys = {pk: card_key(f) for pk, f in facts.items() if f is not None}
    cached = cache.get_many(list(keys.values())) if keys else {}
    missing = [pk for pk in products.ids if pk in facts and keys.get(pk) not in cached]
    drawn, fresh = {}, {}
    built = {pk: product for pk in missing if (product := rows.product(pk)) is not None}
    for pk, product in products.load([pk for pk in missing if pk not in built]).items():
        drawn[pk] = _draw(context, product)
        own = card_facts(product, request)  # what it was drawn from (the same, unless written since)
        if own is not None:
            fresh[card_key(own)] = drawn[pk]
    for pk, product in built.items():
        drawn[pk] = fresh[keys[pk]] = _draw(context, product)
    if fresh:
        cache.set_many(fresh, CARD_SECONDS)
    from .page_layout import page_csrf_token

    token = page_csrf_token(request)  # one masked token for the page's forms (get_token masks anew each call)
    cards = []
    for pk in products.ids:
        html = drawn.get(pk) if pk in drawn else cached.get(keys.get(pk))
        if html is not None:
            cards.append(SafeString(html.replace(CSRF_MARK, token)))  # mark_safe() of a str
    return cards

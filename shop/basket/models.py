"""Oscar's basket, reading its lines once while it is built (issue 21: 100 orders a second).

Oscar's add_product asks the database for the basket's currency (its lines), then for the line of
the product (get_or_create, in a transaction of its own), then forgets every line it had read
(reset_offer_applications), so the shipping charge and the total that follow read the lines again,
with their options, images, stock records and product class: 8 queries to put one product in a
new basket and price it. Here:

- a basket just inserted knows it has no lines and no vouchers (nothing can name a basket before
  it exists), so neither is asked for;
- add_product works on the lines already read (read once when they are not): the currency and the
  line of the same product and options come from them. A new line is inserted directly, and
  joins the lines read with its options and its purchase info (the strategy has just computed it
  for this product); the offers are reset as Oscar resets them (every line's discounts cleared),
  without forgetting the lines. A line that is already there (or that another request added
  meanwhile: the insert then fails on the basket's unique line reference) goes Oscar's way.

The rows are Oscar's; only the reads change (tests/checkout/test_basket_reads.py).
"""
from contextlib import nullcontext

from django.db import IntegrityError, connections, models, router, transaction
from oscar.apps.basket.abstract_models import AbstractBasket
from oscar.core.loading import get_classes

OpenBasketManager, SavedBasketManager = get_classes("basket.managers", ["OpenBasketManager", "SavedBasketManager"])

LINE_RELATED = ("product", "product__product_class", "stockrecord")
LINE_PREFETCHES = ("attributes", "product__images")
WEB_RECORD = "ocop_web_record_id"
HAS_OPTIONS = "ocop_has_options"


def line_annotations() -> dict:
    """What all_lines() read with compiled SQL (shop/basket/reads.py) adds to each line: `ocop_web_record_id`,
    the id of the stock record the web sells the line's product from (catalog_ext.web_stock's rule: the
    producer's own record, the first by id; without a producer, the product's first record; None when
    there is none). When it is the line's own record, which the lines' query joins, the strategy needs
    no query of the products' records (shop/partner/strategy.py: it was the basket page's slowest query,
    issue 21). And `ocop_has_options`: whether the line has options (LineAttribute rows); the lines'
    options are read for those lines only, and not at all when none has any (most baskets: one query
    fewer on every basket and checkout page). Lines the ORM reads (a queryset derived from all_lines()) have none: the strategy reads
    their records as before. (Not on all_lines()' own queryset: building the subquery each request cost
    more than the ORM path it would serve.)"""
    from django.db.models import Exists, F, OuterRef, Subquery
    from django.db.models.functions import Coalesce
    from oscar.core.loading import get_model

    StockRecord, LineAttribute = get_model("partner", "StockRecord"), get_model("basket", "LineAttribute")
    web = (StockRecord._default_manager
           .filter(product_id=OuterRef("product_id"), partner_id=Coalesce(OuterRef("product__producer_id"), F("partner_id")))
           .order_by("pk").values("pk")[:1])
    return {WEB_RECORD: Subquery(web),
            HAS_OPTIONS: Exists(LineAttribute._default_manager.filter(line_id=OuterRef("pk")))}


def know_prefetched(instance, name: str, items) -> None:
    """Record `items` as what `instance.<name>.all()` holds, as prefetch_related records a read: the
    related manager then answers from them without a query (adding or removing through the manager
    forgets them, as it forgets a prefetch)."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(name, None)
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache, queryset._prefetch_done = list(items), True
    cache[name] = queryset


# Each badge fact line_badge_annotations puts on a line, and the column of catalog_ext.badges' rows it
# holds (shop/basket/lines.py with_line_badges reads a line's facts as it reads those rows).
BADGE_FACTS = {"ocop_badge_stars": "badge_stars", "ocop_badge_potential_five": "badge_potential_five",
               "ocop_badge_number": "badge_number", "ocop_badge_gi_ok": "badge_gi_ok",
               "ocop_gi_slug": "gi__slug", "ocop_gi_name": "gi__name"}


def line_badge_annotations(on) -> dict:
    """Today's badge facts of each line's product, on the lines' compiled read (shop/basket/reads.py; `on`
    is part of its shape): catalog_ext.badges.with_badges' facts (the badge period holding `on`, its
    stars, "potential 5", certificate number, GI licence, and the product's GI slug and name) as scalar
    subqueries, so the basket's and the checkout's rows need no query of their own for them
    (shop/basket/lines.py with_line_badges). Subqueries, not with_badges' join: two periods holding
    the same day would make the join repeat a line."""
    from django.db.models import F, OuterRef, Q, Subquery, Value
    from django.db.models.functions import Coalesce
    from oscar.core.loading import get_model

    BadgePeriod = get_model("catalog_ext", "BadgePeriod")
    holding = (BadgePeriod._default_manager.filter(product_id=OuterRef("product_id"), starts_on__lte=on)
               .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on)).order_by("pk"))

    def fact(name):
        return Subquery(holding.values(name)[:1])

    return {"ocop_badge_stars": fact("stars"),
            "ocop_badge_potential_five": Coalesce(fact("potential_five"), False),
            "ocop_badge_number": Coalesce(fact("certificate_number"), Value("")),
            "ocop_badge_gi_ok": Coalesce(fact("gi_ok"), False),
            "ocop_gi_slug": F("product__gi__slug"), "ocop_gi_name": F("product__gi__name")}


class _ReadCompiled:
    """A basket's all_lines() queryset that reads its rows with shop/basket/reads.py's compiled SQL
    (the same rows, objects and prefetches). Only that very queryset: a queryset derived from it
    (a filter, a count) is a new object without `_ocop_basket`, read by the ORM."""

    _ocop_basket = None

    def _fetch_all(self):
        if self._result_cache is None and self._ocop_basket is not None:
            from shop.basket.reads import read_lines

            self._result_cache, self._prefetch_done = read_lines(self._ocop_basket, self.db), True
        super()._fetch_all()


_compiled_lines_classes: dict = {}


def _compiled_lines_class(base):
    if base not in _compiled_lines_classes:
        _compiled_lines_classes[base] = type(f"Compiled{base.__name__}", (_ReadCompiled, base), {})
    return _compiled_lines_classes[base]


class CompiledOpenBasketManager(OpenBasketManager):
    """Oscar's open baskets. `get_or_create(owner=user)`, which Oscar's basket middleware asks on
    every signed-in request, reads with SQL compiled once (shop/basket/reads.py: the statement
    QuerySet.get_or_create runs, with the same database for writing); when there is none it creates
    it as get_or_create does (in a transaction; an IntegrityError goes Django's way). Several baskets,
    or any other lookups: Django's own (its MultipleObjectsReturned, which the middleware handles)."""

    def get_or_create(self, **kwargs):
        owner = kwargs.get("owner")
        if set(kwargs) != {"owner"} or not isinstance(owner, models.Model) or owner.pk is None:
            return super().get_or_create(**kwargs)
        from shop.basket.reads import read_owned_baskets

        db = router.db_for_write(self.model)
        baskets = read_owned_baskets("get_or_create", self.status_filter, owner, db)
        if len(baskets) == 1:
            return baskets[0], False
        if baskets:
            return super().get_or_create(**kwargs)
        try:
            with transaction.atomic(using=db):
                return self.get_queryset().create(status=self.status_filter, owner=owner), True
        except IntegrityError:
            return super().get_or_create(**kwargs)


class Basket(AbstractBasket):
    class Meta(AbstractBasket.Meta):
        pass

    # All three as Oscar declares them, in its order: a manager declared on this class alone would
    # come before the inherited ones and become the default manager (open baskets only).
    objects = models.Manager()
    open = CompiledOpenBasketManager()
    saved = SavedBasketManager()

    def save(self, *args, **kwargs):
        inserted = self._state.adding
        super().save(*args, **kwargs)
        if inserted:  # a basket that did not exist has no lines and no vouchers yet
            self._know_lines([])
            know_prefetched(self, "vouchers", [])

    def all_lines(self):
        """Oscar's lines queryset, their products' class joined: every page that reads the lines asks
        each product whether it needs shipping and how it is sold (its class), which the strategy
        then read in a query of its own (issue 21). When it is evaluated as it is (not filtered or
        otherwise derived) its rows are read with SQL compiled once (shop/basket/reads.py)."""
        if self.id is not None and self._lines is None:
            queryset = (self.lines.select_related(*LINE_RELATED)
                        .prefetch_related(*LINE_PREFETCHES).order_by(self._meta.pk.name))
            queryset.__class__ = _compiled_lines_class(type(queryset))
            queryset._ocop_basket = self
            self._lines = queryset
        return super().all_lines()

    def _know_lines(self, lines) -> None:
        """all_lines() answers `lines` (in pk order) without a query: Oscar's queryset, as if read."""
        self._lines = None
        queryset = self.all_lines()
        queryset._result_cache, queryset._prefetch_done = list(lines), True

    def vouchers_known_to_be_none(self) -> bool:
        """True when this basket's vouchers were read (or it was just made) and it has none: placing
        its order then has no voucher to lock or count."""
        known = getattr(self, "_prefetched_objects_cache", {}).get("vouchers")
        return known is not None and not known

    def add_product(self, product, quantity=1, options=None):
        """Oscar's add_product (same checks, rows, return value), on the lines read once."""
        options = options or []
        if not self.id:
            self.save()
        lines = list(self.all_lines())
        price_currency = lines[0].price_currency if lines else None
        stock_info = self.get_stock_info(product, options)
        if not stock_info.price.exists:
            raise ValueError(f"Strategy hasn't found a price for product {product}")
        if price_currency and stock_info.price.currency != price_currency:
            raise ValueError(f"Basket lines must all have the same currency. Proposed line has currency "
                             f"{stock_info.price.currency}, while basket has currency {price_currency}")
        if stock_info.stockrecord is None:
            raise ValueError(f"Basket lines must all have stock records. Strategy hasn't found any stock record "
                             f"for product {product}")
        line_ref = self._create_line_reference(product, stock_info.stockrecord, options)
        defaults = {
            "quantity": max(0, quantity),
            "price_excl_tax": stock_info.price.excl_tax,
            "price_currency": stock_info.price.currency,
            "tax_code": stock_info.price.tax_code,
        }
        if stock_info.price.is_tax_known:
            defaults["price_incl_tax"] = stock_info.price.incl_tax
        if all(line.line_reference != line_ref for line in lines):
            line = self._insert_line(product, stock_info.stockrecord, line_ref, defaults)
            if line is not None:
                know_prefetched(line, "attributes", [line.attributes.create(option=option["option"],
                                                                            value=option["value"])
                                                     for option in options])
                if not options:  # with options a strategy may price the line by them (fetch_for_line)
                    line._info = stock_info
                self._reset_offers_keeping(lines + [line])
                return line, True
        # Oscar's way: the line is there (read, or added meanwhile by another request).
        line, created = self.lines.get_or_create(line_reference=line_ref, product=product,
                                                 stockrecord=stock_info.stockrecord, defaults=defaults)
        if created:
            for option in options:
                line.attributes.create(option=option["option"], value=option["value"])
        else:
            line.quantity = max(0, line.quantity + quantity)
            line.save()
        self.reset_offer_applications()
        return line, created

    add_product.alters_data = True
    add = add_product

    def _insert_line(self, product, stockrecord, line_ref, defaults):
        """The new line, inserted; None when the basket has a line of this reference in the database
        already. Inside a transaction (a request) the insert has a savepoint, so that refusal leaves
        the transaction usable; outside one a single INSERT is all or nothing by itself."""
        in_transaction = connections[self._state.db or "default"].in_atomic_block
        try:
            with transaction.atomic(using=self._state.db) if in_transaction else nullcontext():
                return self.lines.create(line_reference=line_ref, product=product, stockrecord=stockrecord,
                                         **defaults)
        except IntegrityError:
            return None

    def _reset_offers_keeping(self, lines) -> None:
        """Oscar's reset_offer_applications (offers applied again from scratch, every discount gone),
        the lines kept."""
        self.reset_offer_applications()
        for line in lines:
            line.clear_discount()
        self._know_lines(lines)


from oscar.apps.basket.models import *  # noqa: E402,F401,F403

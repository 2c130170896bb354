"""Catalogue filters: parse the query string once, filter a listing, count the facets.

Filters are plain GET parameters (shareable, crawlable links). Stars and the GI tag are asked of
the badge rule (`catalog_ext.badges.with_badges`: the badge period holding today, rows dated by the
certificates' own validity), never of a flag a task must flip, so an expired or revoked certificate
drops out of "3★ and above" the day it stops being valid. Each facet counts the
products that pass every OTHER active filter, all facets from one aggregate query (facets()):
a constant number of queries whatever the number of options.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import itemgetter
from urllib.parse import quote_plus

from django.core.cache import cache
from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Exact, IsNull
from django.utils.translation import gettext
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.badges import with_badges
from catalog_ext.choices import ProductGroup
from catalog_ext.models import BadgePeriod, GeographicalIndication
from catalog_ext.web_stock import web_records
from core.places import son_la_wards, ward_name

from .web_price import listing_price

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

STAR_CLASSES = (3, 4, 5)
SORTS = ("relevance", "stars", "price_asc", "price_desc", "newest")
# Dimensions with option counts; price is a range and has none.
FACETS = ("stars", "gi", "group", "producer", "commune", "in_stock")
# A price above a billion đồng is not a shop price; larger input is garbage, not a filter.
MAX_PRICE = 10**9
# Facet combinations kept in the cache (their key holds the catalogue's state, so never stale).
FACET_SECONDS = 3600
_DIGITS = re.compile(r"^\d{1,10}$")
_SLUG = re.compile(r"^[-\w]{1,100}$")


def sellable_records():
    """Web records (above) a shopper can buy from now: their class does not track stock, or
    num_in_stock - num_allocated > 0 (StockRequired). The filter and facet below use them as one
    hashed set for the whole listing, not a subquery per product."""
    net = Coalesce(F("num_in_stock"), Value(0)) - Coalesce(F("num_allocated"), Value(0))
    return web_records().annotate(net=net).filter(Q(net__gt=0) | Q(product__product_class__track_stock=False))


def sellable_here():
    """Exists(): the outer product's web record can be sold now; sellable_records() for one
    product, read through the stock records' product index. Its conditions name the outer
    product's own columns (producer, class), so PostgreSQL always runs it per product: written as
    sellable_records() filtered by product, it was planned for a thousand search candidates as one
    hash of every stock record of the catalogue (250 ms at 100,000 products)."""
    earlier = StockRecord.objects.filter(product=OuterRef("product"), pk__lt=OuterRef("pk"))
    net = Coalesce(F("num_in_stock"), Value(0)) - Coalesce(F("num_allocated"), Value(0))
    web = Q(partner_id=OuterRef("producer_id")) | (Q(IsNull(OuterRef("producer_id"), True)) & ~Exists(earlier))
    selling = Q(net__gt=0) | Q(Exact(OuterRef("product_class__track_stock"), False))
    return Exists(StockRecord.objects.filter(product=OuterRef("pk")).filter(web).annotate(net=net).filter(selling))


def in_stock_q(among=None) -> Q:
    """In stock now; `among` (product ids, or a subquery of them) limits the hashed set to those
    products' records instead of every record of the catalogue (100,000 at 100,000 products:
    about 200 ms; a per-product EXISTS is planned as that same hash)."""
    records = sellable_records()
    if among is not None:
        records = records.filter(product_id__in=among)
    return Q(pk__in=records.values("product_id"))


def _held_today(aggregate):
    """The aggregate over the outer product's badge periods that hold today (catalog_ext.badges:
    with_badges' condition), as a scalar subquery."""
    on = rules.today()
    periods = BadgePeriod.objects.filter(product=OuterRef("pk"), starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    return Subquery(periods.order_by().values("product").annotate(held=aggregate).values("held"))


def annotate_listing(queryset, on=None):
    """What sorting and cards read, in the one listing query: today's badges, and the price and
    availability of the stock record the web sells from (web_records): the price a column of the
    product row (listing.web_price), availability looked up per product (sellable_here)."""
    return with_badges(queryset, on).annotate(
        listing_price=listing_price(),
        listing_in_stock=sellable_here(),
    )


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True)
class Filters:
    """The parsed filters of one listing request; `rejected` names the parameters that were ignored."""

    stars: int | None = None
    gi: str = ""
    group: str = ""
    producer: str = ""
    commune: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool = False
    sort: str = ""
    rejected: tuple[str, ...] = ()
    params: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def parse(cls, query, *, default_sort: str = "newest", sorts: tuple[str, ...] = SORTS) -> Filters:
        """Read filters from a QueryDict (or dict); unknown or malformed values are dropped and named
        in `rejected`, so a bad link shows a message instead of a 500 or an empty page."""
        values, rejected = {}, []

        def take(name, check):
            raw = (query.get(name) or "").strip()
            if not raw:
                return
            value = check(raw)
            if value is None:
                rejected.append(name)
            else:
                values[name] = value

        take("stars", lambda v: int(v) if v in {str(s) for s in STAR_CLASSES} else None)
        take("gi", lambda v: v if _SLUG.match(v) and GeographicalIndication.objects.filter(slug=v).exists() else None)
        take("group", lambda v: v if v in ProductGroup.values else None)
        take("producer", lambda v: v if _SLUG.match(v) and Partner.objects.filter(code=v).exists() else None)
        take("commune", _commune)
        take("price_min", _price)
        take("price_max", _price)
        take("in_stock", lambda v: {"1": True, "0": False}.get(v))
        take("sort", lambda v: v if v in sorts else None)
        if values.get("price_min") is not None and values.get("price_max") is not None:
            if values["price_min"] > values["price_max"]:
                rejected += ["price_min", "price_max"]
                del values["price_min"], values["price_max"]
        values.setdefault("sort", default_sort)
        params = {k: str(v) for k, v in values.items() if k != "sort" or v != default_sort}
        if params.get("in_stock") == "True":
            params["in_stock"] = "1"
        elif "in_stock" in params:
            del params["in_stock"]
            values["in_stock"] = False
        return cls(**values, rejected=tuple(rejected), params=params)

    @property
    def active(self) -> bool:
        return any(k not in ("q", "sort") for k in self.params)

    def without(self, name: str) -> Filters:
        cleared = {"stars": None, "gi": "", "group": "", "producer": "", "commune": None,
                   "price_min": None, "price_max": None, "in_stock": False}
        params = {k: v for k, v in self.params.items() if k != name}
        return replace(self, **{name: cleared[name]}, params=params)

    @property
    def narrows(self) -> bool:
        """Does apply() leave out anything? (The sort alone does not.)"""
        return any((self.stars is not None, self.gi, self.group, self.producer, self.commune is not None,
                    self.price_min is not None, self.price_max is not None, self.in_stock))

    def prepare(self, queryset):
        """`queryset` with the annotations apply() reads and nothing more (a match or id query that
        needs no badge is not joined to the badge periods)."""
        if self.stars is not None or self.gi:
            queryset = with_badges(queryset)
        if (self.price_min is not None or self.price_max is not None) and "listing_price" not in queryset.query.annotations:
            queryset = queryset.annotate(listing_price=listing_price())
        return queryset

    def apply(self, queryset):
        """Filter a queryset annotated by `annotate_listing` (or by prepare())."""
        qs = queryset
        if self.stars is not None:
            qs = qs.filter(badge_stars__gte=self.stars)
        if self.gi:
            qs = qs.filter(gi__slug=self.gi, badge_gi_ok=True)
        if self.group:
            qs = qs.filter(ocop_group=self.group)
        if self.producer:
            qs = qs.filter(producer__code=self.producer)
        if self.commune is not None:
            qs = qs.filter(producer__ward_code=self.commune)
        if self.price_min is not None:
            qs = qs.filter(listing_price__gte=self.price_min)
        if self.price_max is not None:
            qs = qs.filter(listing_price__lte=self.price_max)
        if self.in_stock:
            qs = qs.filter(in_stock_q())
        return qs

    def apply_to_matches(self, queryset):
        """apply(prepare(queryset)) for a search's matches (listing.search_results): the same
        products, with the badge and stock conditions asked per match instead of joined.

        A search's matches are a few hundred to a few thousand products, found through the
        full-text index; joined to today's badge periods (most products have one with 3 stars or
        more), PostgreSQL hashed all 75,000 of them for every "3★ and above" search (30–90 ms at
        100,000 products, the tail of the searches with filters). A scalar subquery per match is
        never turned into a join, so each match looks its period up by the (product, starts_on)
        index. MAX says what the join says, whatever the number of periods holding:
        some period of today has at least these stars, some has its GI confirmed."""
        qs = queryset
        if self.stars is not None:
            qs = qs.alias(match_stars=_held_today(Max("stars"))).filter(match_stars__gte=self.stars)
        if self.gi:
            gi_ok = Max(Cast("gi_ok", IntegerField()))  # 1: some period of today confirms it
            qs = qs.alias(match_gi_ok=_held_today(gi_ok)).filter(gi__slug=self.gi, match_gi_ok=1)
        if self.in_stock:
            # in_stock_q() hashes every sellable record of the catalogue; a match asks its own.
            qs = qs.filter(sellable_here())
        rest = replace(self, stars=None, gi="", in_stock=False)
        return rest.apply(rest.prepare(qs))

    def sort_queryset(self, queryset):
        order = {
            "stars": (F("badge_stars").desc(nulls_last=True), "-date_created", "-pk"),
            "price_asc": (F("listing_price").asc(nulls_last=True), "-pk"),
            "price_desc": (F("listing_price").desc(nulls_last=True), "-pk"),
            "newest": ("-date_created", "-pk"),
            "relevance": (F("relevance").desc(), "-date_created", "-pk"),
        }[self.sort]
        return queryset.order_by(*order)

    # Links -------------------------------------------------------------------------------------

    def url(self, **changes) -> str:
        """A query string for these filters with some changed (None removes), always from page 1:
        urlencode() of the parameters in _LINK_ORDER. A page links every facet option, each these
        filters with one changed: the parameters are encoded once per Filters (_encoded), then only
        the changed one (urlencode per link was ~6 % of a new search's CPU, issue 21)."""
        encoded = self._encoded()
        if changes:
            encoded = dict(encoded)
            for name, value in changes.items():
                if value is None or value == "":
                    encoded.pop(name, None)
                else:
                    encoded[name] = f"{name if name in _PLAIN_NAMES else quote_plus(name)}={_quoted(str(value))}"
        ordered = [encoded[k] for k in _LINK_ORDER if k in encoded]
        return "?" + "&".join(ordered) if ordered else "?"

    def _encoded(self) -> dict[str, str]:
        """{name: "name=value"} of the parameters, url-encoded as urlencode() does, kept with the
        parameters they were encoded from (a Filters is frozen, its params dict is not)."""
        kept = self.__dict__.get("_encoded_params")
        items = tuple(self.params.items())
        if kept is None or kept[0] != items:
            kept = (items, {k: f"{quote_plus(k)}={quote_plus(str(v))}" for k, v in items})
            object.__setattr__(self, "_encoded_params", kept)
        return kept[1]

    def cleared(self) -> Filters:
        """No filters, keeping the search words and the sort order."""
        return Filters(sort=self.sort, params={k: v for k, v in self.params.items() if k in ("q", "sort")})

    def with_query(self, q: str) -> Filters:
        """Keep the search words in every filter link of the search page."""
        return replace(self, params={**self.params, "q": q} if q else dict(self.params))

    # Facets ------------------------------------------------------------------------------------

    def without_facets(self) -> Filters:
        """These filters less every faceted one (the price range stays): what facets() counts over."""
        return replace(self, stars=None, gi="", group="", producer="", commune=None, in_stock=False)

    def facets(self, queryset, *, among=None, cache_as=None) -> dict[str, list[FacetOption]]:
        return self.facets_from(self.facet_combos(queryset, among=among, cache_as=cache_as))

    def count_from(self, combos) -> int:
        """How many products apply() keeps: the combinations that pass every active filter (the
        listing's count without a COUNT query over it)."""
        return sum(c["n"] for c in combos if self._passes(c, None))

    def facet_combos(self, queryset, *, among=None, cache_as=None) -> list[dict]:
        """Option counts per dimension: products matching every OTHER active filter plus the option.

        One aggregate query: the listing (price range applied) grouped by every facet dimension at
        once, a few hundred combinations at most; each facet then adds up the combinations that
        pass the other active filters, tested exactly as apply() filters (`_passes`). Six queries,
        one per facet, each re-running the search, cost 0.45 s for a 12,000-match search at
        100,000 products on PostgreSQL.

        `among` (product ids, or a subquery of them) counts only those products. (A search page
        counts its candidates' own rows instead, read with their sort keys: combos_from(),
        listing.search_results.)

        `cache_as` (a tuple naming the listing's scope and the catalogue's state, or None) keeps the
        combinations in the cache: they depend only on the scope, the catalogue's state and the price
        range, never on the faceted filters themselves, so every filtered or sorted view of one
        listing counts its facets from one stored aggregate instead of running it again (at 100,000
        products on PostgreSQL that aggregate is most of an uncached listing page's time)."""
        key = self._facet_key(cache_as)
        if key is not None:
            combos = cache.get(key)
            if isinstance(combos, list):
                return combos
        listing = self.without_facets().apply(queryset.order_by())
        if among is not None:
            listing = listing.filter(pk__in=among)
        in_stock = Case(When(in_stock_q(among), then=Value(True)), default=Value(False))
        combos = list(
            listing.annotate(facet_in_stock=in_stock)
            .values(*_FACET_COLUMNS).annotate(n=Count("pk")).order_by()
        )
        if key is not None:
            cache.set(key, combos, FACET_SECONDS)
        return combos

    def _facet_key(self, cache_as) -> str | None:
        if cache_as is None:
            return None
        facts = (cache_as, self.price_min, self.price_max, _FACET_COLUMNS)
        return "ocop:facets:" + hashlib.sha1(repr(facts).encode()).hexdigest()

    def combos_key(self, cache_as) -> str | None:
        """The cache key of the combinations facet_combos(cache_as=...) stores (None: not kept)."""
        return self._facet_key(cache_as)

    def cached_combos(self, cache_as, found: dict | None = None) -> list[dict] | None:
        """The combinations facet_combos(cache_as=...) stored, or None. `found`: the answer of a
        cache.get_many that asked for combos_key(cache_as) (read then with other keys)."""
        key = self._facet_key(cache_as)
        if key is None:
            return None
        combos = found.get(key) if found is not None else cache.get(key)
        return combos if isinstance(combos, list) else None

    def store_combos(self, cache_as, combos: list[dict], store=None) -> None:
        """`store(key, value, seconds)`: how to keep them (cache.set unless given: a page being
        rendered for the page cache keeps them with the page, listing.page_cache.keep_with_page)."""
        key = self._facet_key(cache_as)
        if key is not None:
            (store or cache.set)(key, combos, FACET_SECONDS)

    @staticmethod
    def facet_values(queryset, on=None):
        """`queryset` annotated with the facet columns combos_from() reads (for a search's
        candidates, picked by id: the badge and stock look-ups run for those products alone)."""
        return with_badges(queryset, on).annotate(facet_in_stock=sellable_here())

    @staticmethod
    def combos_from(rows) -> list[dict]:
        """facet_combos() from product rows holding the facet columns (facet_values()): the same
        combinations, counted in Python instead of by the database's GROUP BY."""
        counts = Counter(map(itemgetter(*_FACET_COLUMNS), rows))
        return [{**dict(zip(_FACET_COLUMNS, combination, strict=True)), "n": n} for combination, n in counts.items()]

    def facets_from(self, combos) -> dict[str, list[FacetOption]]:
        return {
            "stars": self._stars_facet(self._passing(combos, "stars")),
            "gi": self._gi_facet(self._passing(combos, "gi")),
            "group": self._group_facet(self._passing(combos, "group")),
            "producer": self._producer_facet(self._passing(combos, "producer")),
            "commune": self._commune_facet(self._passing(combos, "commune")),
            "in_stock": self._in_stock_facet(self._passing(combos, "in_stock")),
        }

    def passes(self, row: dict) -> bool:
        """Would apply() keep this product? `row` holds the facet columns (facet_values())."""
        return self._passes(row, None)

    def _passing(self, combos, skip: str) -> list[dict]:
        return [c for c in combos if self._passes(c, skip)]

    def _passes(self, c: dict, skip: str) -> bool:
        """Would apply() keep products of this combination, leaving out the `skip` filter?"""
        return ((skip == "stars" or self.stars is None or (c["badge_stars"] or 0) >= self.stars)
                and (skip == "gi" or not self.gi or (c["gi__slug"] == self.gi and bool(c["badge_gi_ok"])))
                and (skip == "group" or not self.group or c["ocop_group"] == self.group)
                and (skip == "producer" or not self.producer or c["producer__code"] == self.producer)
                and (skip == "commune" or self.commune is None or c["producer__ward_code"] == self.commune)
                and (skip == "in_stock" or not self.in_stock or c["facet_in_stock"]))

    def _option(self, name, value, label, count, selected):
        return FacetOption(value=str(value), label=str(label), count=count, selected=selected,
                           url=self.url(**{name: None if selected else value}))

    def _stars_facet(self, combos):
        per_class = _add_up(combos, lambda c: c["badge_stars"])
        at_least = {s: sum(n for stars, n in per_class.items() if stars is not None and stars >= s)
                    for s in STAR_CLASSES}
        return [self._option("stars", s, gettext("%(stars)s★ and above") % {"stars": s}, at_least[s], self.stars == s)
                for s in reversed(STAR_CLASSES) if at_least[s] or self.stars == s]

    def _gi_facet(self, combos):
        counts = _add_up((c for c in combos if c["badge_gi_ok"]), lambda c: (c["gi__slug"], c["gi__name"]))
        rows = sorted(((slug, name, n) for (slug, name), n in counts.items()), key=lambda r: _fold_key(r[1]))
        return self._options("gi", rows, self.gi)

    def _group_facet(self, combos):
        counts = _add_up(combos, lambda c: c["ocop_group"])
        return self._options("group", [(g.value, g.label, counts[g.value]) for g in ProductGroup if g.value in counts],
                             self.group)

    def _producer_facet(self, combos):
        counts = _add_up((c for c in combos if c["producer__code"] is not None),
                         lambda c: (c["producer__code"], c["producer__name"]))
        rows = sorted(((code, name, n) for (code, name), n in counts.items()), key=lambda r: _fold_key(r[1]))
        return self._options("producer", rows, self.producer)

    def _commune_facet(self, combos):
        counts = _add_up((c for c in combos if c["producer__ward_code"] is not None),
                         lambda c: c["producer__ward_code"])
        options = [(code, ward_name(code), n) for code, n in counts.items()]
        return self._options("commune", sorted((o for o in options if o[1]), key=lambda o: _fold_key(o[1])),
                             self.commune)

    def _in_stock_facet(self, combos):
        count = sum(c["n"] for c in combos if c["facet_in_stock"])
        return [self._option("in_stock", 1, gettext("In stock"), count, self.in_stock)]

    def _options(self, name, rows, current):
        options = [self._option(name, value, label, n, value == current) for value, label, n in rows]
        if current not in (None, "") and not any(o.selected for o in options):
            # The chosen option matches nothing with the other filters: keep it visible to clear it.
            options.insert(0, self._option(name, current, _selected_label(name, current), 0, True))
        return options


# The order of a link's parameters (Filters.url); quote_plus() leaves these names as they are.
_LINK_ORDER = ("q", *FACETS, "price_min", "price_max", "sort")
_PLAIN_NAMES = frozenset(_LINK_ORDER)


@lru_cache(maxsize=20000)
def _quoted(value: str) -> str:
    """quote_plus(value), kept: the options' values (producers, GIs, wards, star classes) recur on
    every page."""
    return quote_plus(value)


# What facets() groups the listing by (badge_* are the badge rule's annotations).
_FACET_COLUMNS = ("badge_stars", "badge_gi_ok", "gi__slug", "gi__name", "ocop_group", "producer__code",
                  "producer__name", "producer__ward_code", "facet_in_stock")
FACET_COLUMNS = _FACET_COLUMNS  # a search's candidates are counted by them too (listing.search_results)


def _add_up(combos, key) -> dict:
    counts: dict = {}
    for c in combos:
        counts[key(c)] = counts.get(key(c), 0) + c["n"]
    return counts


@lru_cache(maxsize=20000)
def _fold_key(text: str) -> str:
    """fold(text), kept: the options of every page are sorted by their folded names, and a
    catalogue has a few hundred producers, GIs and wards."""
    from core.text import fold

    return fold(text)


def _selected_label(name: str, value) -> str:
    if name == "gi":
        return GeographicalIndication.objects.filter(slug=value).values_list("name", flat=True).first() or value
    if name == "producer":
        return Partner.objects.filter(code=value).values_list("name", flat=True).first() or value
    if name == "commune":
        return ward_name(value)
    if name == "group":
        return ProductGroup(value).label
    return str(value)


def _commune(raw: str) -> int | None:
    if not _DIGITS.match(raw):
        return None
    code = int(raw)
    return code if code in {c for c, _name in son_la_wards()} else None


def _price(raw: str) -> int | None:
    """Whole đồng; "150.000" and "150 000" are read as 150000. Negative, decimal or huge: None."""
    cleaned = raw.replace(".", "").replace(" ", "").replace(",", "")
    if not _DIGITS.match(cleaned):
        return None
    value = int(cleaned)
    return value if value <= MAX_PRICE else None


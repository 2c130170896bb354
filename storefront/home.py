"""What the home page shows, each section one bounded query (cards are listing.cards'):
5★ and 4★ highlights, OCOP groups, the GIs, producers by commune, what is in season this month,
producer stories and the showrooms."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.choices import ProductGroup
from catalog_ext.models import GeographicalIndication
from catalog_ext.season import in_season_q
from core.places import ward_name
from listing.products import browsable_products
from showrooms.models import Showroom
from storefront.producers import initials, placeholder_colour, producers

Product = get_model("catalogue", "Product")


HIGHLIGHTS = 8  # cards per highlight row: two rows of four on a desktop, a swipeable rail on a phone
STORIES = 3


@dataclass(frozen=True)
class Tile:
    title: str
    count: int
    url: str


def highlights(stars: int):
    """Products whose badge today shows `stars` (the badge rule: catalog_ext.badges)."""
    return list(browsable_products().filter(badge_stars=stars)[:HIGHLIGHTS])


def in_season(month: int):
    return list(browsable_products().filter(in_season_q(month))[:HIGHLIGHTS])


def group_tiles(catalogue_url: str) -> list[Tile]:
    counts = dict(Product.objects.browsable().exclude(ocop_group="").values_list("ocop_group")
                  .annotate(n=Count("pk")).values_list("ocop_group", "n"))
    return [Tile(str(label), counts[value], f"{catalogue_url}?group={value}")
            for value, label in ProductGroup.choices if counts.get(value)]


def gi_tiles(catalogue_url: str) -> list[Tile]:
    public = Q(products__is_public=True)
    gis = GeographicalIndication.objects.annotate(n=Count("products", filter=public)).order_by("name")
    return [Tile(gi.name, gi.n, f"{catalogue_url}?gi={gi.slug}") for gi in gis]


def producer_rows():
    """Producers with products on sale, most products first, each with its commune and initials
    mark (for those without a logo)."""
    rows = [p for p in producers().filter(product_count__gt=0).order_by("-product_count", "name")]
    for producer in rows:
        producer.commune_name = ward_name(producer.ward_code)
        producer.placeholder = {"initials": initials(producer.name), "colour": placeholder_colour(producer.code)}
    return rows


def home_sections(catalogue_url: str) -> dict:
    month = rules.today().month
    makers = producer_rows()
    return {
        "five_star": highlights(5),
        "four_star": highlights(4),
        "season_month": month,
        "in_season": in_season(month),
        "group_tiles": group_tiles(catalogue_url),
        "gi_tiles": gi_tiles(catalogue_url),
        "producers": makers,
        "stories": [p for p in makers if p.story][:STORIES],
        "showrooms": list(Showroom.objects.active()),
    }

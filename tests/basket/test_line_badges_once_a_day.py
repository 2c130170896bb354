"""The basket's and checkout's lines get their products' badges from a query compiled once a day
(shop/basket/lines.py `with_line_badges`, issue 21), not `{% ocop_with_badges %}`'s ORM query of
whole product rows: the same facts on the same products, the same GI, the same markup under each
line, on SQLite and on PostgreSQL (where the compiled SQL runs)."""
import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.badges import attach_badges, badges_for
from shop.basket import lines as basket_lines
from shop.basket.lines import with_line_badges
from shop.order.templatetags.ocop_line_badges import line_badges

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
FACTS = ("badge_stars", "badge_potential_five", "badge_number", "badge_gi_ok")


def _facts(product):
    gi = product.gi if product.badge_gi_ok and product.gi_id else None
    return ([getattr(product, name) for name in FACTS], gi and (gi.pk, gi.slug, gi.name), badges_for(product))


def test_the_lines_badges_are_ocop_with_badges_ones():
    ours, theirs = list(Product.objects.order_by("pk")), list(Product.objects.order_by("pk"))
    attach_badges(theirs)
    with CaptureQueriesContext(connection) as captured:
        lines = with_line_badges([SimpleNamespace(product=product) for product in ours] + [SimpleNamespace(product=None)])
    assert len(captured.captured_queries) == 1 and len(lines) == len(ours) + 1
    kinds = {badges_for(product) for product in theirs}
    assert any(b.has_stars for b in kinds) and any(b.has_gi for b in kinds) and any(not b for b in kinds)
    for mine, reference in zip(ours, theirs, strict=True):
        assert _facts(mine) == _facts(reference), mine.upc
        for language in ("vi", "en"):
            with translation.override(language):
                assert line_badges(mine) == line_badges(reference)
    gi_product = next(product for product in ours if product.badge_gi_ok and product.gi_id)
    with CaptureQueriesContext(connection) as captured:  # a GI field the row did not carry is read when asked
        assert gi_product.gi.pk == gi_product.gi_id and str(gi_product.gi) == str(Product.objects.get(pk=gi_product.pk).gi)
    with CaptureQueriesContext(connection) as captured:
        assert with_line_badges([SimpleNamespace(product=product) for product in ours]) and not captured.captured_queries


def test_each_day_has_its_own_query(monkeypatch):
    basket_lines._compiled_badges.clear()
    with_line_badges([SimpleNamespace(product=Product.objects.order_by("pk").first())])
    tomorrow = rules.today() + dt.timedelta(days=1)
    monkeypatch.setattr(rules, "today", lambda: tomorrow)
    with_line_badges([SimpleNamespace(product=Product.objects.order_by("pk").first())])
    assert list(basket_lines._compiled_badges) == [tomorrow]


def test_a_baskets_lines_bring_their_badges(monkeypatch):
    """The basket's compiled lines' read carries today's badge facts (shop/basket/models.py
    line_badge_annotations, basket8): with_line_badges then asks nothing, and gives the facts,
    the GI and the markup `{% ocop_with_badges %}` gives (stars, GI, none among them). A line read
    without them (another day's read, or the ORM's) still gets them from the day's query."""
    Basket, Line = get_model("basket", "Basket"), get_model("basket", "Line")
    products = list(Product.objects.filter(stockrecords__isnull=False).distinct().order_by("pk"))
    theirs = [Product.objects.get(pk=product.pk) for product in products]
    attach_badges(theirs)
    kinds = {badges_for(product) for product in theirs}
    assert any(b.has_stars for b in kinds) and any(b.has_gi for b in kinds) and any(not b for b in kinds)
    basket = Basket.objects.create()
    for product in products:
        record = product.stockrecords.order_by("pk").first()
        Line.objects.create(basket=basket, product=product, stockrecord=record, line_reference=f"badge-{product.pk}",
                            quantity=1, price_currency=record.price_currency, price_excl_tax=record.price,
                            price_incl_tax=record.price)
    basket = Basket.objects.get(pk=basket.pk)
    lines = list(basket.all_lines())
    with CaptureQueriesContext(connection) as captured:
        with_line_badges(lines)
    assert not captured.captured_queries
    for line, reference in zip(lines, theirs, strict=True):
        assert _facts(line.product) == _facts(reference), reference.upc
        for language in ("vi", "en"):
            with translation.override(language):
                assert line_badges(line.product) == line_badges(reference)
    # lines the ORM read (no facts on them): the day's query, as before
    orm_lines = list(basket.lines.select_related("product").order_by("pk"))
    with CaptureQueriesContext(connection) as captured:
        with_line_badges(orm_lines)
    assert len(captured.captured_queries) == 1
    assert [_facts(line.product) for line in orm_lines] == [_facts(reference) for reference in theirs]

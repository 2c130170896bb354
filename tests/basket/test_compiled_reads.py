"""The basket's load reads its lines, vouchers and the site's offers with SQL compiled once
(shop/basket/reads.py, issue 21): the same statements as Oscar's and Django's, the same objects tied
together the same way, the same offers applied (totals, discounts, line prices) with a site offer
and a voucher present, and the basket and checkout pages byte for byte what they were."""
import difflib
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop.basket import middleware as basket_middleware
from shop.basket import models as basket_models
from shop.basket import reads
from shop.partner.strategy import Selector
from tests.page_parts import comparable
from tests.speed.test_query_counts_by_size import _basket_of, _web_skus

pytestmark = pytest.mark.django_db
Basket, Line, LineAttribute = (get_model("basket", name) for name in ("Basket", "Line", "LineAttribute"))
Option, ProductImage = get_model("catalogue", "Option"), get_model("catalogue", "ProductImage")
StockRecord, Voucher = get_model("partner", "StockRecord"), get_model("voucher", "Voucher")
Range, Condition, Benefit, ConditionalOffer = (get_model("offer", name) for name in
                                               ("Range", "Condition", "Benefit", "ConditionalOffer"))
OscarApplicator = get_class("offer.applicator", "Applicator")
DAY = timezone.timedelta(days=1)


def _values(instance) -> list:
    return [getattr(instance, field.attname) for field in instance._meta.concrete_fields]


def _same_ids_in_order(sql: str) -> str:
    """A statement with the ids of its IN (…) sorted: Django's prefetch lists them in the order it
    met the objects, ours in the lines' order (the same rows either way)."""
    return re.sub(r"IN \(([^)]*)\)", lambda m: "IN (" + ", ".join(sorted(m.group(1).split(", "))) + ")", sql)


@pytest.fixture
def shopper(client):
    user = get_user_model().objects.create_user("doc-nhanh", "doc.nhanh@example.vn", "pw-123456-x")
    client.force_login(user)
    client.user = user
    return client


def _basket(user):
    return Basket.open.get(owner=user)


def _with_options_and_images(basket):
    """Give the basket's lines options and their products images (two on one product, none on another)."""
    lines = list(basket.lines.order_by("pk"))
    wrap = Option.objects.create(name="Gói quà", code="goi-qua")
    note = Option.objects.create(name="Lời nhắn", code="loi-nhan")
    LineAttribute.objects.create(line=lines[0], option=wrap, value="có")
    LineAttribute.objects.create(line=lines[0], option=note, value="Chúc mừng năm mới")
    LineAttribute.objects.create(line=lines[-1], option=wrap, value="không")
    ProductImage.objects.create(product=lines[0].product, original="images/a.jpg", display_order=2)
    ProductImage.objects.create(product=lines[0].product, original="images/b.jpg", display_order=1)
    ProductImage.objects.create(product=lines[1].product, original="images/c.jpg", display_order=0)


def _djangos_lines(basket):
    """Oscar's all_lines() queryset with our joins, read by the ORM."""
    from catalog_ext import rules

    return list(basket.lines.select_related(*basket_models.LINE_RELATED).annotate(
        **basket_models.line_annotations(), **basket_models.line_badge_annotations(rules.today()))
                .prefetch_related(*basket_models.LINE_PREFETCHES).order_by("pk"))


def _described(basket, lines) -> list:
    return [(_values(line), line.ocop_web_record_id, line.ocop_has_options,
             [getattr(line, name) for name in basket_models.BADGE_FACTS], line.basket is basket, _values(line.product), _values(line.product.product_class),
             _values(line.stockrecord),
             [(_values(a), a.line is line) for a in line.attributes.all()],
             [(_values(i), i.product is line.product) for i in line.product.images.all()]) for line in lines]


def test_the_lines_are_djangos_read(shopper):
    _basket_of(shopper, 4)
    _with_options_and_images(_basket(shopper.user))
    reference_basket = _basket(shopper.user)
    with CaptureQueriesContext(connection) as theirs:
        reference = _djangos_lines(reference_basket)
    basket = _basket(shopper.user)
    for _attempt in range(2):  # the second time from the SQL compiled the first
        basket._lines = None
        with CaptureQueriesContext(connection) as ours:
            lines = list(basket.all_lines())
        # Django's statements, its options' read naming only the lines that have options (basket8)
        expected = [_same_ids_in_order(q["sql"]) for q in theirs.captured_queries]
        assert "basket_lineattribute" in expected[1]
        with_options = ", ".join(str(line.pk) for line in reference if line.attributes.all())
        expected[1] = _same_ids_in_order(re.sub(r"IN \([^)]*\)", f"IN ({with_options})", expected[1]))
        assert [_same_ids_in_order(q["sql"]) for q in ours.captured_queries] == expected
        with CaptureQueriesContext(connection) as after:  # everything kept as Django keeps it
            assert _described(basket, lines) == _described(reference_basket, reference)
        assert not after.captured_queries
    assert any(line.attributes.all() for line in lines) and any(line.product.images.all() for line in lines)


def test_a_basket_without_options_does_not_read_them(shopper):
    """No line has options (the lines' query says so): their read is not sent, each line's options are
    known to be none (basket8; fails on the old code: three statements)."""
    _basket_of(shopper, 3)
    basket = _basket(shopper.user)
    with CaptureQueriesContext(connection) as ours:
        lines = list(basket.all_lines())
    assert len(ours.captured_queries) == 2 and not any("basket_lineattribute" in q["sql"].split(" FROM ")[-1]
                                                       for q in ours.captured_queries)
    with CaptureQueriesContext(connection) as after:
        assert [list(line.attributes.all()) for line in lines] == [[], [], []]
        assert all(line.ocop_has_options is False for line in lines)
    assert not after.captured_queries


def test_a_queryset_derived_from_the_lines_is_the_orms(shopper):
    _basket_of(shopper, 2)
    basket = _basket(shopper.user)
    with CaptureQueriesContext(connection) as captured:
        assert basket.all_lines().count() == 2  # a COUNT, as before
    assert [q["sql"].split()[1] for q in captured.captured_queries] == ["COUNT(*)"]
    derived = basket.all_lines().filter(pk__gt=0)
    assert derived._ocop_basket is None  # the ORM reads it, prefetches and all
    assert [line.pk for line in derived] == [line.pk for line in basket.all_lines()]


def test_an_empty_basket_reads_one_query():
    basket = Basket.objects.create()
    basket._lines = None
    basket.__dict__.pop("_prefetched_objects_cache", None)
    with CaptureQueriesContext(connection) as captured:
        assert list(basket.all_lines()) == []
    assert len(captured.captured_queries) == 1


def _offers(site=True, voucher_code=None):
    """A site offer (10 % off everything) and a voucher's offer (20,000 ₫ off), both open; an
    expired, a future and a suspended site offer that must never be found."""
    everything = Range.objects.create(name="Mọi sản phẩm", includes_all_products=True)
    made = []

    def offer(name, offer_type, benefit, **kwargs):
        made.append(ConditionalOffer.objects.create(
            name=name, offer_type=offer_type,
            condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
            benefit=benefit, exclusive=False, **kwargs))  # both apply to the same items
        return made[-1]

    percent = {"range": everything, "type": Benefit.PERCENTAGE, "value": 10}
    if site:
        offer("Giảm 10%", ConditionalOffer.SITE, Benefit.objects.create(**percent), priority=3,
              start_datetime=timezone.now() - DAY)
        offer("Đã hết", ConditionalOffer.SITE, Benefit.objects.create(**percent),
              end_datetime=timezone.now() - DAY)
        offer("Sắp tới", ConditionalOffer.SITE, Benefit.objects.create(**percent),
              start_datetime=timezone.now() + DAY)
        offer("Tạm dừng", ConditionalOffer.SITE, Benefit.objects.create(**percent), status=ConditionalOffer.SUSPENDED)
    if voucher_code:
        fixed = offer("Phiếu 20k", ConditionalOffer.VOUCHER,
                      Benefit.objects.create(range=everything, type=Benefit.FIXED, value=Decimal(20000)))
        voucher = Voucher.objects.create(name="Tết", code=voucher_code, usage=Voucher.MULTI_USE,
                                         start_datetime=timezone.now() - DAY, end_datetime=timezone.now() + DAY)
        voucher.offers.add(fixed)
        return voucher
    return None


def test_the_site_offers_are_oscars_at_the_same_instant(monkeypatch):
    _offers()
    instant = timezone.now()
    monkeypatch.setattr("oscar.apps.offer.managers.now", lambda: instant)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    with CaptureQueriesContext(connection) as theirs:
        reference = list(OscarApplicator().get_site_offers())
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as ours:
            offers = reads.read_site_offers()
        assert [q["sql"] for q in ours.captured_queries] == [q["sql"] for q in theirs.captured_queries]
        with CaptureQueriesContext(connection) as after:
            assert [(_values(o), _values(o.condition), _values(o.benefit)) for o in offers] == \
                   [(_values(o), _values(o.condition), _values(o.benefit)) for o in reference]
        assert not after.captured_queries
    assert [o.name for o in offers] == ["Giảm 10%"]


def test_the_vouchers_are_djangos_read_and_kept(shopper):
    _basket_of(shopper, 1)
    voucher = _offers(site=False, voucher_code="TET2027")
    _basket(shopper.user).vouchers.add(voucher)
    reference_basket = _basket(shopper.user)
    with CaptureQueriesContext(connection) as theirs:
        reference = list(reference_basket.vouchers.all())
    basket = _basket(shopper.user)
    with CaptureQueriesContext(connection) as ours:
        vouchers = reads.read_vouchers(basket, "default")
    assert [q["sql"] for q in ours.captured_queries] == [q["sql"] for q in theirs.captured_queries]
    with CaptureQueriesContext(connection) as after:
        assert [_values(v) for v in basket.vouchers.all()] == [_values(v) for v in vouchers] == \
               [_values(v) for v in reference]
        assert reads.read_vouchers(basket, "default") == vouchers
    assert not after.captured_queries
    basket.vouchers.remove(voucher)  # forgets them, as Django forgets a prefetch
    assert list(basket.vouchers.all()) == []


def _priced(basket) -> dict:
    """Everything the offers decide: totals, discounts, each line's prices and discounts."""
    return {
        "totals": [basket.total_excl_tax, basket.total_incl_tax, basket.total_excl_tax_excl_discounts,
                   basket.total_incl_tax_excl_discounts, basket.total_discount, basket.num_items],
        "offer_discounts": [(d["offer"].pk, d["name"], d["discount"], d["freq"]) for d in basket.offer_discounts],
        "voucher_discounts": [(d["offer"].pk, d["voucher"].pk, d["discount"]) for d in basket.voucher_discounts],
        "applications": [(a["offer"].pk, a["discount"], a["freq"]) for a in basket.offer_applications],
        "lines": [(line.pk, line.quantity, line.unit_price_incl_tax, line.line_price_incl_tax,
                   line.line_price_incl_tax_incl_discounts, line.discount_value, line.has_discount,
                   list(line.get_price_breakdown())) for line in basket.all_lines()],
    }


@pytest.mark.parametrize("lines", [1, 10])
def test_offers_apply_exactly_as_oscars_applicator(shopper, lines):
    """A site offer and a voucher: the request's basket (our middleware, compiled reads) is priced
    as Oscar's Applicator prices a basket read by Oscar's own queries."""
    _basket_of(shopper, lines)
    voucher = _offers(voucher_code="TET2027")
    _basket(shopper.user).vouchers.add(voucher)

    response = shopper.get(reverse("basket:summary"))
    ours = response.context["basket"]

    reference = _basket(shopper.user)
    reference.strategy = Selector().strategy(user=shopper.user)
    reference._lines = (reference.lines.select_related("product", "stockrecord")  # Oscar's all_lines()
                        .prefetch_related("attributes", "product__images").order_by("pk"))
    OscarApplicator().apply(reference, shopper.user)

    priced = _priced(ours)
    assert priced == _priced(reference)
    assert priced["offer_discounts"] and priced["voucher_discounts"]
    assert priced["totals"][4] > 0


_normalised = comparable


def _pages(client) -> dict:
    return {name: _normalised(client.get(reverse(name)).content.decode()) for name in
            ("basket:summary", "checkout:shipping-address", "checkout:shipping-method", "checkout:payment-method",
             "checkout:preview")}


def _oscars_reads(monkeypatch):
    """The ORM's reads back: Oscar's Applicator, the lines queryset evaluated by Django."""
    monkeypatch.setattr(basket_middleware, "CompiledReadsApplicator", OscarApplicator)
    monkeypatch.setattr(basket_models, "_compiled_lines_class", lambda base: base)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pages_are_the_same_with_offers_and_a_voucher(monkeypatch, language):
    from tests.checkout.payment_methods.checkout import choose_payment, start_guest_checkout

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    voucher = _offers(voucher_code="TET2027")
    start_guest_checkout(client, lines=[(sku, 1) for sku in _web_skus(3)])
    assert client.post(reverse("basket:vouchers-add"), {"code": "TET2027"}).status_code == 302
    assert voucher.basket_set.exists()
    assert choose_payment(client, "cod").status_code == 302
    _pages(client)  # the messages waiting (the voucher added) are drawn once, on the first page
    ours = _pages(client)
    with monkeypatch.context() as patched:
        _oscars_reads(patched)
        theirs = _pages(client)
    for name in ours:
        diff = difflib.unified_diff(theirs[name].splitlines(), ours[name].splitlines(), lineterm="", n=1)
        assert ours[name] == theirs[name], name + "\n" + "\n".join(list(diff)[:40])
    assert "TET2027" in ours["basket:summary"]


def test_an_order_placed_with_a_voucher_locks_and_counts_it():
    """The vouchers the middleware read are kept on the basket: placing its order still finds this
    one (locked, counted, its discount recorded), as with Oscar's read."""
    from tests.checkout.payment_methods.checkout import choose_payment, place_order_data, start_guest_checkout

    Order = get_model("order", "Order")
    client = Client()
    voucher = _offers(site=False, voucher_code="TET2027")
    start_guest_checkout(client, lines=[(sku, 1) for sku in _web_skus(2)])
    assert client.post(reverse("basket:vouchers-add"), {"code": "TET2027"}).status_code == 302
    assert choose_payment(client, "cod").status_code == 302
    preview = client.get(reverse("checkout:preview"))
    response = client.post(reverse("checkout:preview"), place_order_data(preview))
    assert response["Location"] == reverse("checkout:thank-you")
    order = Order.objects.latest("pk")
    voucher.refresh_from_db()
    assert voucher.num_orders == 1 and list(voucher.applications.values_list("order_id", flat=True)) == [order.pk]
    assert order.total_discount_incl_tax == Decimal(20000)

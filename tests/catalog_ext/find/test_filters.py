"""Catalogue filters: each one alone and combined, with the counts the panel shows, checked against
the demo catalogue computed independently (ORM and the badge rule, product by product)."""
import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from catalog_ext import services
from catalog_ext.models import GILicence
from listing.filters import Filters

from .helpers import browsable, facet, listed, price_of, stars_of

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def _by_sku(sku):
    return StockRecord.objects.get(partner_sku=sku).product


def _pks(products):
    return {p.pk for p in products}


def _gi_shown(product):
    from catalog_ext.badges import badges_for

    return badges_for(Product.objects.get(pk=product.pk)).gi_slug


@pytest.mark.parametrize("stars", [3, 4, 5])
def test_stars_filter_shows_products_whose_valid_badge_has_at_least_that_many_stars(client, stars):
    # given the demo catalogue; when a shopper picks "N★ and above"
    shown = listed(client, f"/catalogue/?stars={stars}")
    # then exactly the products whose badge today has >= N stars are listed
    expected = {p.pk for p in browsable() if (stars_of(p) or 0) >= stars}
    assert expected and _pks(shown) == expected


def test_expired_and_revoked_certificates_never_count_as_stars(client):
    rice, corn_wine = _by_sku("RC-001"), _by_sku("DR-003")  # only certificate expired / revoked
    assert rice.ocop_certificates.exists() and corn_wine.ocop_certificates.exists()
    shown = _pks(listed(client, "/catalogue/?stars=3"))
    assert rice.pk not in shown and corn_wine.pk not in shown
    # and the 3★ count in the panel leaves them out too
    response = client.get("/catalogue/")
    assert facet(response, "stars")["3"] == sum(1 for p in browsable() if stars_of(p))
    assert facet(response, "stars")["3"] < len(browsable())


def test_gi_filter_lists_products_whose_gi_tag_shows(client):
    shown = listed(client, "/catalogue/?gi=ca-phe-son-la")
    expected = {p.pk for p in browsable() if _gi_shown(p) == "ca-phe-son-la"}
    assert len(expected) >= 2 and _pks(shown) == expected
    response = client.get("/catalogue/")
    assert facet(response, "gi")["ca-phe-son-la"] == len(expected)


def test_gi_filter_hides_products_when_the_producers_licence_is_revoked(client):
    mango = _by_sku("FR-001")
    assert mango.pk in _pks(listed(client, "/catalogue/?gi=xoai-tron-yen-chau"))
    # given the office revokes the producer's GI licence today
    licence = GILicence.objects.get(gi__slug="xoai-tron-yen-chau", producer=mango.producer)
    services.revoke_gi_licence(licence=licence, reason="Vi phạm quy chế sử dụng chỉ dẫn địa lý (kiểm thử).")
    # then its products leave the GI filter and the GI leaves the panel
    assert mango.pk not in _pks(listed(client, "/catalogue/?gi=xoai-tron-yen-chau"))
    response = client.get("/catalogue/")
    assert "xoai-tron-yen-chau" not in facet(response, "gi")
    # yet the product itself is still for sale
    assert mango.pk in _pks(listed(client, "/catalogue/"))


def test_group_producer_and_commune_filters(client):
    everything = browsable()
    assert _pks(listed(client, "/catalogue/?group=craft")) == {p.pk for p in everything if p.ocop_group == "craft"}
    assert _pks(listed(client, "/catalogue/?producer=ta-xua-tea")) == {
        p.pk for p in everything if p.producer and p.producer.code == "ta-xua-tea"}
    ward = _by_sku("CF-001").producer.ward_code
    assert _pks(listed(client, f"/catalogue/?commune={ward}")) == {
        p.pk for p in everything if p.producer and p.producer.ward_code == ward}
    response = client.get("/catalogue/")
    assert facet(response, "group")["craft"] == sum(p.ocop_group == "craft" for p in everything)
    assert facet(response, "producer")["ta-xua-tea"] == sum(
        bool(p.producer and p.producer.code == "ta-xua-tea") for p in everything)
    assert facet(response, "commune")[str(ward)] == sum(
        bool(p.producer and p.producer.ward_code == ward) for p in everything)


def test_price_range_filters_on_the_stock_record_price(client):
    shown = listed(client, "/catalogue/?price_min=100000&price_max=200000")
    expected = {p.pk for p in browsable() if Decimal(100000) <= price_of(p) <= Decimal(200000)}
    assert expected and _pks(shown) == expected
    assert all(price_of(p) >= 300000 for p in listed(client, "/catalogue/?price_min=300000"))


def test_in_stock_filter_uses_net_stock(client):
    honey = StockRecord.objects.get(partner_sku="HN-001")
    from tests.checkout.stock.factories import basket_of, place

    place(basket_of((honey.product, honey.num_in_stock)))  # everything reserved by an unpaid order
    shown = _pks(listed(client, "/catalogue/?in_stock=1"))
    assert honey.product_id not in shown
    assert len(shown) == len(browsable()) - 1
    assert facet(client.get("/catalogue/"), "in_stock")["1"] == len(browsable()) - 1


def test_filters_combine_and_each_facet_counts_the_other_filters(client):
    everything = browsable()
    url = "/catalogue/?stars=4&group=beverage"
    shown = listed(client, url)
    expected = {p.pk for p in everything if (stars_of(p) or 0) >= 4 and p.ocop_group == "beverage"}
    assert expected and _pks(shown) == expected
    response = client.get(url)
    # the group facet counts 4★+ products of every group; the stars facet counts beverages only
    groups = facet(response, "group")
    assert groups["food"] == sum(1 for p in everything if (stars_of(p) or 0) >= 4 and p.ocop_group == "food")
    stars = facet(response, "stars")
    assert stars["3"] == sum(1 for p in everything if stars_of(p) and p.ocop_group == "beverage")
    assert stars["4"] == len(expected)
    # the panel shows the same numbers, and links keep the other filter
    body = response.content.decode()
    assert f'data-count="{groups["food"]}"' in body
    assert 'href="?stars=4&amp;group=food"' in body
    assert 'href="?group=beverage"' in body  # choosing 4★ again clears it


def test_facets_cost_a_constant_number_of_queries(django_assert_num_queries):
    from listing.products import browsable_products

    filters = Filters.parse({"stars": "3", "group": "food"})
    with django_assert_num_queries(1):  # every facet from one grouped query
        filters.facets(browsable_products())


def test_filter_links_and_clear_links_are_plain_urls(client):
    body = client.get("/catalogue/?stars=4&gi=ca-phe-son-la").content.decode()
    assert "<details" in body and "data-ocop-filters" in body
    assert 'href="?gi=ca-phe-son-la"' in body  # remove the stars filter
    assert 'href="?stars=4"' in body  # remove the GI filter
    assert "Xóa tất cả bộ lọc" in body


@pytest.mark.parametrize("query", [
    "stars=abc", "gi=nope", "price_min=-5", "price_max=1e99", "sort=evil", "commune=12abc", "producer=%3Cscript%3E",
    "group=weapons", "in_stock=yes", "price_min=500000&price_max=100", "stars=abc&gi=nope&price_min=-5&price_max=1e99&sort=evil",
])
def test_bad_filter_values_are_ignored_with_a_message(client, query):
    response = client.get(f"/catalogue/?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "bộ lọc không hợp lệ đã bị bỏ qua" in body
    # the listing is the unfiltered catalogue
    assert response.context["paginator"].count == len(browsable())


def test_bad_filters_on_a_category_page_and_search_give_200(client):
    from oscar.core.loading import get_model

    category = get_model("catalogue", "Category").objects.get(name="Cà phê")
    for url in (category.get_absolute_url() + "?stars=9&price_max=abc", "/search/?q=ca+phe&sort=evil&stars=0"):
        response = client.get(url)
        assert response.status_code == 200
        assert "bộ lọc không hợp lệ đã bị bỏ qua" in response.content.decode()


def test_category_page_filters_within_the_category(client):
    from oscar.core.loading import get_model

    category = get_model("catalogue", "Category").objects.get(name="Cà phê")
    in_category = {p.pk for p in Product.objects.browsable().filter(categories=category)}
    shown = listed(client, category.get_absolute_url() + "?stars=4")
    assert _pks(shown) == {pk for pk in in_category if (stars_of(Product.objects.get(pk=pk)) or 0) >= 4}
    assert facet(client.get(category.get_absolute_url()), "stars")["3"] <= len(in_category)


def test_sort_orders(client):
    by_price = listed(client, "/catalogue/?sort=price_asc")
    prices = [price_of(p) for p in by_price]
    assert prices == sorted(prices) and len(by_price) == len(browsable())
    prices = [price_of(p) for p in listed(client, "/catalogue/?sort=price_desc")]
    assert prices == sorted(prices, reverse=True)
    stars = [stars_of(p) or 0 for p in listed(client, "/catalogue/?sort=stars")]
    assert stars == sorted(stars, reverse=True) and stars[0] == 5
    newest = listed(client, "/catalogue/")
    assert [p.date_created for p in newest] == sorted((p.date_created for p in newest), reverse=True)


def test_newest_product_comes_first_by_default(client):
    product = Product.objects.get(pk=_by_sku("CR-001").pk)
    Product.objects.filter(pk=product.pk).update(date_created=product.date_created + dt.timedelta(days=3650))
    assert listed(client, "/catalogue/")[0].pk == product.pk


def test_in_stock_counts_products_whose_class_does_not_track_stock(client):
    # given a tour (a service: its class does not track stock) with nothing "in stock"
    tour = _by_sku("TR-001")
    ProductClass = get_model("catalogue", "ProductClass")
    services = ProductClass.objects.create(name="Dịch vụ (kiểm thử)", track_stock=False)
    Product.objects.filter(pk=tour.pk).update(product_class=services)
    StockRecord.objects.filter(partner_sku="TR-001").update(num_in_stock=0, num_allocated=0)
    coffee = StockRecord.objects.get(partner_sku="CF-001")
    StockRecord.objects.filter(pk=coffee.pk).update(num_in_stock=0)
    # then the tour is still bookable, the coffee is not
    shown = _pks(listed(client, "/catalogue/?in_stock=1"))
    assert tour.pk in shown and coffee.product_id not in shown


@pytest.mark.parametrize("query", [
    {}, {"stars": "4"}, {"group": "food", "in_stock": "1"}, {"gi": "ca-phe-son-la", "stars": "3"},
    {"price_min": "100000", "price_max": "300000"}, {"commune": "stars-not-a-number", "producer": "nobody"},
])
def test_every_facet_count_is_what_choosing_that_option_would_list(query):
    """The definition of a facet count: the products listed with every OTHER active filter plus
    this option. Checked option by option against the filter itself."""
    from listing.products import browsable_products

    filters = Filters.parse(query)
    scope = browsable_products()
    for name, options in filters.facets(scope).items():
        for option in options:
            chosen = replace(filters.without(name), **{name: _typed(name, option.value)})
            assert option.count == chosen.apply(scope).count(), (name, option.value, query)


def _typed(name, value):
    return {"stars": int, "commune": int, "in_stock": bool}.get(name, str)(value)


def test_cards_price_and_stock_are_those_of_the_record_the_product_page_sells_from(client):
    """A product with an older record of another partner: the card must show the producer's record,
    which is what the product page (shop.partner.strategy) sells, not the first record."""
    from oscar.core.loading import get_class

    from listing.filters import annotate_listing

    Partner = get_model("partner", "Partner")
    Selector = get_class("partner.strategy", "Selector")
    model = Product.objects.get(stockrecords__partner_sku="CF-001")
    coffee = Product.objects.create(title="Cà phê thử hai nguồn", product_class=model.product_class,
                                    producer=model.producer)
    other = Partner.objects.create(name="Đại lý khác", code="dai-ly-khac")
    StockRecord.objects.create(product=coffee, partner=other, partner_sku="OTHER-1", price=Decimal(99000),
                               num_in_stock=0)  # the first record: another partner's, sold out
    own = StockRecord.objects.create(product=coffee, partner=coffee.producer, partner_sku="OWN-1",
                                     price=Decimal(175000), num_in_stock=8)

    card = annotate_listing(Product.objects.filter(pk=coffee.pk)).get()
    sold = Selector().strategy().fetch_for_product(coffee)
    assert sold.stockrecord == own
    assert card.listing_price == own.price and card.listing_in_stock is True


def test_the_panel_marks_the_chosen_option_and_its_link_removes_it(client):
    import re

    # given a search with "4★ and above" chosen
    body = client.get("/search/?q=ca+phe&stars=4").content.decode()
    options = {m["value"]: m for m in re.finditer(
        r'<a href="(?P<href>[^"]*)" class="(?P<cls>[^"]*)" data-facet="stars" data-value="(?P<value>\d)"'
        r'(?P<attrs>[^>]*)>(?P<text>.*?)</a>', body, re.S)}
    # then the chosen option is marked as chosen, ticked, and its link leaves the filter out
    chosen = options["4"]
    assert chosen["cls"] == "ocop-facet__option is-selected"
    assert 'aria-current="true"' in chosen["attrs"] and 'title="' in chosen["attrs"]
    assert "✓" in chosen["text"] and 'data-count="' in chosen["text"]
    assert chosen["href"] == "?q=ca+phe"
    # and another option is a plain link that chooses it instead, with its count
    other = options["3"]
    assert other["cls"] == "ocop-facet__option" and "aria-current" not in other["attrs"]
    assert other["href"] == "?q=ca+phe&amp;stars=3" and "✓" not in other["text"]
    count = re.search(r'data-count="(\d+)">\((\d+)\)', other["text"])
    assert count and count[1] == count[2] and int(count[1]) > 0

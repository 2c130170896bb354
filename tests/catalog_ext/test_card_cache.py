"""Cached product cards never show a stale price, stock state or badge, and carry each visitor's
own CSRF token (a card cached for one shopper must let the next one add to the basket)."""
import re

import pytest
from django.test import Client
from oscar.core.loading import get_model

from catalog_ext.badges import badges_for

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def card_html(client, product):
    """The product's card on the catalogue page (demo products are all on page 1 or 2)."""
    for page in (1, 2):
        body = client.get(f"/catalogue/?page={page}").content.decode()
        for card in body.split('<article class="product_pod">')[1:]:
            if product.get_absolute_url() in card:
                return card.split("</article>")[0]
    raise AssertionError("card not found")


@pytest.fixture
def coffee():
    return StockRecord.objects.select_related("product").get(partner_sku="CF-001")


def test_price_change_shows_at_once_on_a_cached_card(client, coffee):
    assert "185.000" in card_html(client, coffee.product)
    card_html(client, coffee.product)  # now served from the cache
    StockRecord.objects.filter(pk=coffee.pk).update(price=199000)  # no save(): no signal, no date bump
    assert "199.000" in card_html(client, coffee.product)


def test_sold_out_and_revoked_show_at_once(client, coffee):
    card = card_html(client, coffee.product)
    assert 'data-ocop-stars="5"' in card and 'name="quantity"' in card
    StockRecord.objects.filter(pk=coffee.pk).update(num_in_stock=0)
    coffee.product.ocop_certificates.valid().get().revoke(reason="kiểm thử")
    card = card_html(client, coffee.product)
    assert "data-ocop-stars" not in card and badges_for(coffee.product).stars is None
    assert 'name="quantity"' not in card  # no add-to-basket form for a sold-out product


def test_each_visitor_gets_their_own_csrf_token_in_a_cached_card(coffee):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for shopper in (first, second):
        card = card_html(shopper, coffee.product)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card).group(1)
        tokens.append(token)
        response = shopper.post(f"/basket/add/{coffee.product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token})
        assert response.status_code == 302  # 403 would mean another visitor's token
    assert tokens[0] != tokens[1] and "__OCOP_CSRF_TOKEN__" not in "".join(tokens)


def search_card(client, product):
    """The product's card on a search for its own title (ranked first)."""
    body = client.get("/search/", {"q": product.title}).content.decode()
    for card in body.split('<article class="product_pod">')[1:]:
        if product.get_absolute_url() in card:
            return card.split("</article>")[0]
    raise AssertionError("card not found")


def test_a_search_page_card_shows_price_stock_and_badge_changes_at_once(client, coffee):
    # given the coffee's card drawn once on a search page, then served from the card cache
    assert "185.000" in search_card(client, coffee.product)
    assert 'data-ocop-stars="5"' in search_card(client, coffee.product)
    # when its price changes, it sells out and its certificate is revoked, each without save()
    StockRecord.objects.filter(pk=coffee.pk).update(price=199000)
    assert "199.000" in search_card(client, coffee.product)
    StockRecord.objects.filter(pk=coffee.pk).update(num_in_stock=0)
    assert 'name="quantity"' not in search_card(client, coffee.product)
    coffee.product.ocop_certificates.valid().get().revoke(reason="kiểm thử")
    assert "data-ocop-stars" not in search_card(client, coffee.product)


def test_a_page_reads_its_cards_facts_without_loading_products_and_they_are_the_cards_own(rf):
    from listing.cards import card_facts, listed_facts
    from listing.products import browsable_products

    # given every product a listing shows, loaded as the listing loads them
    request = rf.get("/")
    products = list(browsable_products())
    # then the facts read for a page (three queries) are those of each loaded product: a card
    # drawn from the loaded product is stored under the key the next page looks up
    assert listed_facts([p.pk for p in products], request) == {p.pk: card_facts(p, request) for p in products}

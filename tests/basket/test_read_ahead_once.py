"""The read-ahead of the lines' thumbnails ({% thumbnails_ahead %}, shop/thumbnails.py) takes each
product's photo from its prefetched images and names each source once (basket8, issue 21): on the
basket page and the checkout's review, Oscar's `primary_image()` and sorl's naming of a thumbnail
(`_thumbnail_for`) are asked as often at 4 lines as at 1 when the products have no photo (the same
placeholder on every line). Fails on the old code: one `primary_image()` and one naming a line."""
from collections import Counter

import pytest
from django.urls import reverse
from oscar.apps.catalogue.abstract_models import AbstractProduct

from shop.thumbnails import AheadOfTimeBackend
from tests.speed.test_query_counts_by_size import _basket_of, _web_skus

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(monkeypatch):
    counts = Counter()

    def counting(name, original):
        def counted(*args, **kwargs):
            counts[name] += 1
            return original(*args, **kwargs)
        return counted

    monkeypatch.setattr(AbstractProduct, "primary_image", counting("primary_image", AbstractProduct.primary_image))
    monkeypatch.setattr(AheadOfTimeBackend, "_thumbnail_for",
                        counting("_thumbnail_for", AheadOfTimeBackend._thumbnail_for))
    return counts


def _page(client, asked, url):
    from oscar.core.loading import get_model

    get_model("catalogue", "ProductImage").objects.filter(
        product__stockrecords__partner_sku__in=_web_skus(4)).delete()  # every line shows the placeholder
    assert client.get(url).status_code == 200  # the placeholder's thumbnail made (tasks inline)
    asked.clear()
    html = client.get(url).content.decode()
    return dict(asked), html


def test_the_basket_asks_as_much_at_4_lines_as_at_1(client, django_user_model, asked):
    client.force_login(django_user_model.objects.create_user("anh-it", "anh-it@example.vn", "mat-khau-2026"))
    _basket_of(client, 1)
    one, _html = _page(client, asked, reverse("basket:summary"))
    _basket_of(client, 4)
    four, html = _page(client, asked, reverse("basket:summary"))
    assert html.count('class="img-thumbnail') == 4
    assert one == four and four["_thumbnail_for"] == 1, (one, four)


def test_the_review_asks_as_much_at_4_lines_as_at_1(client, asked):
    from django.test import Client

    from tests.checkout.payment_methods.checkout import choose_payment, start_guest_checkout

    counts = []
    for n, shopper in ((1, client), (4, Client())):
        start_guest_checkout(shopper, lines=[(sku, 1) for sku in _web_skus(n)])
        assert choose_payment(shopper, "cod").status_code == 302
        found, html = _page(shopper, asked, reverse("checkout:preview"))
        assert html.count('class="img-thumbnail') == n
        counts.append(found)
    assert counts[0] == counts[1] and counts[1]["_thumbnail_for"] == 1, counts

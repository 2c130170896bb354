"""A new search's layout is drawn once per language and address, its own blocks per request
(listing.page_layout, issue 21): the page is the one the template draws whole, byte for byte (less
the tokens, nonces and clock every render draws anew), for every kind of visitor and search, in
Vietnamese and English, as the render the page cache stores and as the hit that serves it."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.core.loading import get_model

from catalog_ext.cache import catalogue_changed
from listing import page_layout
from tests.catalog_ext.storefront.helpers import product
from tests.page_parts import comparable

from .pages import _money, _page, _tools, shared_page_cache  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_page_cache")]
PATHS = ["/search/?q=ca+phe", "/search/?q=zzzkhongco", "/search/?q=", "/search/?q=%21%21",
         "/search/?q=tra&stars=3&sort=price_asc&price_max=500000",
         "/search/?q=%3Cb%3E%22ca%22+%26+%27phe%27"]


_normal = comparable


def _visitors():
    coffee = product("CF-001")
    anonymous = Client()
    holder = Client()
    assert holder.post(f"/basket/add/{coffee.pk}/", {"quantity": 2}).status_code == 302
    _page(holder, "/basket/")  # the "added" message, read once
    user = get_user_model().objects.create_user("anna", "anna@example.vn", "pw-123456-x")
    get_model("communication", "Notification").objects.create(recipient=user, subject="Đơn hàng đã giao")
    customer = Client()
    customer.force_login(user)
    assert customer.post(f"/basket/add/{coffee.pk}/", {"quantity": 1}).status_code == 302
    _page(customer, "/basket/")
    return {"anonymous": anonymous, "basket holder": holder, "customer with a message": customer}


def _message_waits(client):
    """A refused quantity: an error message waits for the next page, the basket is unchanged."""
    assert client.post(f"/basket/add/{product('CF-001').pk}/", {"quantity": 0}).status_code == 302


def _three(client, path, monkeypatch, drawn_once: bool, message: bool = False) -> list[str]:
    """The page as a new search renders it, as its cache hit serves it, and as the next visitor's
    new search of another page renders it (the layout then from this process's drawing)."""
    if message:
        _message_waits(client)
    if not drawn_once:
        monkeypatch.setattr(page_layout, "respond", lambda *args, **kwargs: None)  # the template's own render
    catalogue_changed()  # a new page key: a miss
    pages = [_page(client, path), _page(client, path)]
    catalogue_changed()
    pages.append(_page(client, path))
    monkeypatch.undo()
    return [_normal(page) for page in pages]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_is_the_one_the_template_draws_whole(monkeypatch, language):
    visitors = _visitors()
    for who, client in visitors.items():
        client.cookies["django_language"] = language
        for path in PATHS:
            # the layout's own render first (its message, if any, is shown there), then the template's
            message = who == "customer with a message"
            new = _three(client, path, monkeypatch, drawn_once=True, message=message)
            old = _three(client, path, monkeypatch, drawn_once=False, message=message)
            assert message == ('class="alert' in old[0].split('id="messages"')[1]), (who, path)
            assert 'class="site-footer"' in old[0] and 'class="lang-switch"' in old[0], (who, path)
            assert new == old, (who, path, language)


def test_a_message_waiting_is_shown_once_on_a_new_search():
    customer = _visitors()["customer with a message"]
    _message_waits(customer)
    first = _page(customer, "/search/?q=ca+phe")
    assert 'class="alert' in first.split('id="messages"')[1].split("</main>")[0]
    again = _page(customer, "/search/?q=tra")
    assert 'class="alert' not in again.split('id="messages"')[1].split("</main>")[0]


def test_the_layout_is_drawn_once_and_the_words_each_time():
    """Fails on the old code: every new search rendered the header, the SEO links and the footer."""
    client = Client()
    _page(client, "/search/?q=ca+phe")
    response = client.get("/search/?q=tra")
    names = {template.name for template in response.templates}
    assert "ocop/layout/header.html" not in names and "ocop/layout/seo_head.html" not in names, names
    html = response.content.decode()
    assert 'class="ocop-filters"' in html  # the words' own blocks, drawn (in Python: listing.search_html)
    assert '"tra"' in html.split("<title>")[1].split("</title>")[0]
    assert 'value="tra"' in html and 'class="site-footer"' in html
    assert response.context["query"] == "tra"  # the view's context, as the test client saw it before


def test_a_basket_change_shows_in_the_layouts_header_at_once():
    coffee, honey = product("CF-001"), product("MT-001")
    price = get_model("partner", "StockRecord").objects.get
    holder = Client()
    assert holder.post(f"/basket/add/{coffee.pk}/", {"quantity": 1}).status_code == 302
    _page(holder, "/basket/")
    assert _money(price(product=coffee).price) in _tools(_page(holder, "/search/?q=ca+phe"))
    assert holder.post(f"/basket/add/{honey.pk}/", {"quantity": 1}).status_code == 302
    _page(holder, "/basket/")
    html = _page(holder, "/search/?q=mat+ong")  # a new search: the layout from the drawing, the header not
    assert _money(price(product=coffee).price + price(product=honey).price) in _tools(html)


def test_each_language_has_its_own_layout():
    vi, en = Client(), Client()
    en.cookies["django_language"] = "en"
    for n in range(2):
        assert "Tất cả sản phẩm" in _page(vi, f"/search/?q=ca+phe&n={n}")
        english = _page(en, f"/search/?q=ca+phe&n={n}")
        assert "All products" in english and 'hreflang="x-default"' in english
        assert 'aria-pressed="true">EN' in english


def test_oscars_search_form_is_built_only_when_a_template_reads_it(rf):
    """Fails on the old code: Oscar's context processor bound a SearchForm on every page."""
    from django.utils.functional import empty
    from oscar.core.loading import get_class

    from shop.context_processors import search_form

    form = search_form(rf.get("/search/", {"q": "ca phe"}))["search_form"]
    assert form._wrapped is empty  # not built yet
    assert form["q"].value() == "ca phe" and isinstance(form._wrapped, get_class("search.forms", "SearchForm"))

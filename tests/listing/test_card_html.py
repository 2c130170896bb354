"""A product card and the OCOP badge are written in Python (listing/card_html.py) with exactly the
markup, whitespace included, that the templates wrote before (issue 21: a card drawn through the
template engine cost ~0.8 ms of CPU quiet, most of a new search's slowest pages). The templates
are kept here as they were, and both are drawn for every product of the demo catalogue, changed
so that every branch shows: a free product, one without price, one sold out, one with options, a
parent, stars with and without "potential 5★", a GI tag, a product without producer; in Vietnamese
and English."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.test import RequestFactory
from django.utils import translation
from oscar.core.loading import get_class, get_model

from listing import cards
from listing.products import card_products

Selector = get_class("partner.strategy", "Selector")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Option = get_model("catalogue", "Option")
pytestmark = pytest.mark.django_db

# templates/oscar/catalogue/partials/product.html as it was (only its badges tag: the inclusion
# tag's own template, below, included instead), and templates/ocop/badges.html.
OLD_CARD = """{% extends "oscar/catalogue/partials/product.html" %}{# Oscar's own (the next loader down) laid out as the OCOP product card: photo (or placeholder art), name, today's badge, producer, price, add to basket. #}
{# Cached by listing.cards: everything shown must come from the card facts (product, stock, image, badges, language). #}
{% load currency_filters i18n ocop_tags purchase_info_tags storefront_tags %}
{% block product %}
<article class="product_pod">
  {% block product_image %}
  {% with image=product.primary_image %}
  <a class="image_container" href="{{ product.get_absolute_url }}" tabindex="-1" aria-hidden="true">
    {% product_img image alt="" kind="card" sizes="(min-width: 1000px) 280px, (min-width: 700px) 30vw, 46vw" %}
  </a>
  {% endwith %}
  {% endblock %}
  <div class="product_pod__body">
    {% block product_title %}
    <h3><a class="clamp-2" href="{{ product.get_absolute_url }}" title="{{ product.get_title }}">{{ product.get_title }}</a></h3>
    <div class="ocop-card-badges">{% product_badges product as badges %}{% include "old/badges.html" with size="sm" %}</div>
    {% if product.producer %}<p class="producer-line" title="{{ product.producer.name }}">{{ product.producer.name }}</p>{% endif %}
    {% endblock %}
    {% block product_price %}{# Oscar's stock_record.html and add_to_basket_form_compact.html in one: one price and availability look-up, and the one-unit form written out (Oscar builds and renders a form object for it), so drawing a card costs less when a search shows products no page drew before #}
    <div class="product_price">
      {% purchase_info_for_product request product as session %}
      {% if session.price.exists %}
        {% if session.price.excl_tax == 0 %}
          <p class="price_color">{% trans "Free" %}</p>
        {% elif session.price.is_tax_known %}
          <p class="price_color">{{ session.price.incl_tax|currency:session.price.currency }}</p>
        {% else %}
          <p class="price_color">{{ session.price.excl_tax|currency:session.price.currency }}</p>
        {% endif %}
        <p class="{{ session.availability.code }} availability">
          {% if session.availability.is_available_to_buy %}<i class="fas fa-check-circle"></i>{% else %}<i class="fas fa-ban"></i>{% endif %}
          {{ session.availability.short_message }}
        </p>
      {% else %}
        <p class="price_color">&nbsp;</p>
        <i class="fas fa-ban"></i>
        {% trans "Unavailable" %}
      {% endif %}
      {% if not product.is_parent and not product.has_options %}
        {% if session.availability.is_available_to_buy and session.price.exists %}
          <form action="{% url 'basket:add' pk=product.pk %}" method="post">
            {% csrf_token %}
            <input type="hidden" name="quantity" value="1" id="id_quantity">
            <button type="submit" class="btn btn-primary btn-block" data-loading-text="{% trans 'Adding...' %}">{% trans "Add to basket" %}</button>
          </form>
        {% else %}
          <span class="btn btn-secondary btn-block disabled">{% trans "Add to basket" %}</span>
        {% endif %}
      {% endif %}
    </div>
    {% endblock %}
  </div>
</article>
{% endblock %}
"""
OLD_BADGES = """{% load i18n %}{% if badges %}<span class="ocop-badges ocop-badges--{{ size }}">{% if badges.has_stars %}<span class="ocop-star-badge ocop-star-badge--{{ badges.stars }}" data-ocop-stars="{{ badges.stars }}" role="img" aria-label="{% blocktrans with stars=badges.stars %}OCOP {{ stars }} stars{% endblocktrans %}" title="{% blocktrans with stars=badges.stars %}OCOP {{ stars }} stars{% endblocktrans %}{% if badges.potential_five %} · {% trans "potential 5★" %}{% endif %}"><svg class="ocop-star-badge__icon" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="11" fill="#b3261e"/><path fill="#ffd54f" d="M12 4.6l2.2 4.6 5 .7-3.6 3.5.9 5-4.5-2.4-4.5 2.4.9-5-3.6-3.5 5-.7z"/></svg><span class="ocop-star-badge__text" aria-hidden="true">OCOP {{ badges.star_glyphs }}</span></span>{% endif %}{% if badges.has_gi %} <a class="ocop-gi-tag" data-gi="{{ badges.gi_slug }}" href="{% url 'catalogue:index' %}?gi={{ badges.gi_slug }}" title="{% blocktrans with name=badges.gi_name %}Geographical indication: {{ name }}{% endblocktrans %}"><span aria-hidden="true">GI</span><span class="sr-only">{% trans "Geographical indication" %}:</span> {{ badges.gi_name }}</a>{% endif %}</span>{% endif %}
"""


def old_engine() -> Engine:
    """The old templates, over Oscar's own card template (the app loader finds Oscar's, not ours)."""
    return Engine(loaders=[("django.template.loaders.locmem.Loader", {"old/card.html": OLD_CARD,
                                                                      "old/badges.html": OLD_BADGES}),
                           "django.template.loaders.app_directories.Loader"],
                  libraries=get_installed_libraries(), autoescape=True)


@pytest.fixture
def every_branch():
    """Demo products changed so that each branch of the card shows at least once."""
    records = list(StockRecord.objects.filter(product__is_public=True, product__parent=None).order_by("pk"))
    StockRecord.objects.filter(pk=records[0].pk).update(price=0)  # free
    StockRecord.objects.filter(pk=records[1].pk).update(num_in_stock=0)  # sold out
    StockRecord.objects.filter(pk=records[2].pk).delete()  # no price
    Option.objects.create(name="Gói quà", code="goi-qua").product_set.add(records[3].product)
    Product.objects.filter(pk=records[4].product_id).update(producer=None, title='Trà "Shan" <tuyết> & co')
    parent = records[5].product  # a parent: its card shows its child's price (Oscar's fetch_for_parent)
    StockRecord.objects.filter(pk=records[5].pk).delete()
    Product.objects.filter(pk=parent.pk).update(structure="parent")
    child = Product.objects.create(parent=parent, structure="child", title="", is_public=True)
    StockRecord.objects.create(product=child, partner=records[5].partner, partner_sku="CHILD-1", price=99000,
                               num_in_stock=4)
    return records


def draw_both(product, request, engine):
    context = {"request": request, "product": product, "csrf_token": cards.CSRF_MARK}
    old = engine.get_template("old/card.html").render(Context(context, autoescape=True))
    return old, cards._draw(Context(context), product)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_card_written_in_python_is_the_card_the_templates_wrote(every_branch, language):
    request = RequestFactory().get("/search/?q=tra")
    request.user = AnonymousUser()
    request.strategy = Selector().strategy(request)
    engine = old_engine()
    seen = set()
    with translation.override(language):
        products = list(card_products())
        assert len(products) > 10
        for product in products:
            old, new = draw_both(product, request, engine)
            assert new == old, product.title
            seen.update(mark for mark in ("Free" if language == "en" else "Miễn phí",
                                          "&nbsp;", "fas fa-ban", "disabled", "csrfmiddlewaretoken",
                                          "potential 5" if language == "en" else "tiềm năng", "ocop-gi-tag",
                                          "data-ocop-stars", "&quot;Shan&quot; &lt;tuyết&gt; &amp;")
                        if mark in new)
            if product.is_parent:
                seen.add("parent")
            if product.has_options:
                seen.add("options")
            if product.producer_id is None:
                seen.add("no producer")
    assert seen == {"Free" if language == "en" else "Miễn phí", "&nbsp;", "fas fa-ban", "disabled",
                    "csrfmiddlewaretoken", "potential 5" if language == "en" else "tiềm năng", "ocop-gi-tag",
                    "data-ocop-stars", "&quot;Shan&quot; &lt;tuyết&gt; &amp;", "parent", "options", "no producer"}


def test_a_card_no_page_drew_is_drawn_from_its_facts_as_from_its_loaded_product(every_branch, django_assert_num_queries):
    """A card missing from the cache is drawn from the rows its facts were read from
    (listing.cards.PageRows.product), not from the product loaded with its prefetches: the same
    card, for every product but a parent (loaded, its card reads its children), and no query."""
    request = RequestFactory().get("/search/?q=tra")
    request.user = AnonymousUser()
    request.strategy = Selector().strategy(request)
    loaded = {product.pk: product for product in card_products()}
    rows = cards.PageRows(list(loaded))
    built = 0
    for pk, product in loaded.items():
        context = Context({"request": request})
        with django_assert_num_queries(0):
            made = rows.product(pk)
        if product.is_parent:
            assert made is None
            continue
        with django_assert_num_queries(0):
            assert cards._draw(context, made) == cards._draw(context, product), product.title
        assert cards.card_facts(made, request) == cards.card_facts(product, request)
        built += 1
    assert built == len(loaded) - 1

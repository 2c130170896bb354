"""The basket page writes its lines with {% basket_line_rows formset %} (shop/basket/templatetags/basket_rows.py),
not the template loop of ~40 nodes a line (issue 21): the lines must be the loop's, byte for byte, in
Vietnamese and English, signed in or not, with a refused quantity's errors, HTML in a product's
title and a line without a price. (Fails on the old code: the tag does not exist there.)"""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from tests.basket.posted import basket_as_posted
from tests.speed.test_query_counts_by_size import _basket_of

pytestmark = pytest.mark.django_db
Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
LOAD = "{% load i18n image_tags currency_filters purchase_info_tags ocop_lines thumbnails_ahead plain_inputs ocop_line_badges basket_rows %}"

# templates/oscar/basket/partials/basket_content.html's lines as they were written before.
BEFORE = Template(LOAD + """            {% trans "Quantity" as quantity_label %}{% trans 'Updating...' as updating_label %}{% trans "Update" as update_label %}{% trans "Remove" as remove_label %}{% trans "Save for later" as save_label %}{% trans "Price" as price_label %}{% trans "Total" as total_label %}{# the lines' words translated once for the page, not per line; their inputs are written by plain_input (issue 21: Django's widget templates were a fifth of the page) #}
            {% thumbnails_ahead formset.get_queryset "100x100" upscale=False %}{% for form in formset %}
                {% with line=form.instance product=form.instance.product %}
                    {% purchase_info_for_line request line as session %}
                    <div class="basket-items">
                        <div class="row">
                            <div class="col-md-2">
                                {% plain_input form.id %}
                                {% with image=product.primary_image %}
                                    {% oscar_thumbnail image.original "100x100" upscale=False as thumb %}
                                    <a href="{{ product.get_absolute_url }}">
                                        <img class="img-thumbnail w-auto mx-auto my-0" src="{{ thumb.url }}" alt="{{ product.get_title }}"/>
                                    </a>
                                {% endwith %}
                            </div>
                            <div class="col-md-4">
                                <h3><a href="{{ product.get_absolute_url }}">{{ line.description }}</a></h3>
                                {% line_badges product %}
                                <p class="availability {{ session.availability.code }}">{{ session.availability.message }}</p>
                            </div>
                            <div class="col-md-3">
                                <div class="checkout-quantity">
                                    <div class="input-group {% if form.errors %}error{% endif %}">
                                        {% plain_input form.quantity add_class="form-control" aria_label=quantity_label %}
                                    <div class="input-group-append">
                                        <button class="btn btn-secondary" type="submit" data-loading-text="{{ updating_label }}">{{ update_label }}</button>
                                    </div>
                                    </div>
                                </div>
                                    <div class="basket-line-actions">
                                        <a href="#" data-id="{{ forloop.counter0 }}" data-behaviours="remove">{{ remove_label }}</a>
                                        {% if user.is_authenticated %}
                                            | <a href="#" data-id="{{ forloop.counter0 }}" data-behaviours="save">{{ save_label }}</a>
                                        {% endif %}
                                        <div style="display:none">
                                            {% plain_input form.save_for_later %}
                                            {% plain_input form.DELETE %}
                                        </div>
                                        {% for field_errors in form.errors.values %}
                                            {% for error in field_errors %}
                                                <span class="error-block"><i class="fas fa-exclamation"></i> {{ error }}</span>
                                            {% endfor %}

                                        {% endfor %}
                                    </div>

                            </div>
                            <div class="col-md-1">
                                {% if not line.unit_price_incl_tax and not line.unit_tax_excl_tax %}
                                    <p class="text-right">&mdash;</p>
                                {% else %}
                                    <p class="price_color text-right">
                                        <span class="price-title d-md-none">{{ price_label }}:</span>
                                        {% if line.is_tax_known %}
                                            {{ line.unit_price_incl_tax|currency:line.price_currency }}
                                        {% else %}
                                            {{ line.unit_price_excl_tax|currency:line.price_currency }}
                                        {% endif %}
                                    </p>
                                {% endif %}
                            </div>
                            <div class="col-md-2">

                                {% if not line.line_price_incl_tax and not line_price_excl_tax %}
                                    <p class="text-right">&mdash;</p>
                                {% else %}
                                    <p class="price_color text-right">
                                        <span class="price-title d-md-none">{{ total_label }}:</span>
                                        {% if line.is_tax_known %}
                                            {{ line.line_price_incl_tax|currency:line.price_currency }}
                                        {% else %}
                                            {{ line.line_price_excl_tax|currency:line.price_currency }}
                                        {% endif %}
                                    </p>
                                {% endif %}
                            </div>
                        </div>
                    </div>
                {% endwith %}
            {% endfor %}{% endthumbnails_ahead %}""")
NOW = Template(LOAD + """            {# the lines written by one tag #}
            {% thumbnails_ahead formset.get_queryset "100x100" upscale=False %}{% basket_line_rows formset %}{% endthumbnails_ahead %}""")


def _both(page, **context):
    values = {"formset": page.context["formset"], "request": page.wsgi_request, "user": page.context["user"],
              **context}
    return BEFORE.render(Context(values)), NOW.render(Context(values))


@pytest.fixture
def customer(client):
    user = get_user_model().objects.create_user("khach-dong-gio", "khach-dong-gio@example.vn", "mat-khau-2026")
    client.force_login(user)
    return user


@pytest.fixture
def awkward_basket(client, customer):
    _basket_of(client, 3)
    lines = list(Line.objects.filter(basket__owner=customer).select_related("product", "stockrecord").order_by("pk"))
    Product.objects.filter(pk=lines[0].product_id).update(title='Trà <b>"Shan" tuyết</b> & \'cổ thụ\'')
    StockRecord.objects.filter(pk=lines[1].stockrecord_id).update(price=0)
    return lines


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_lines_are_the_loops_bytes(client, awkward_basket, language):
    with translation.override(language):
        page = client.get(reverse("basket:summary"), HTTP_ACCEPT_LANGUAGE=language)
        assert len(page.context["formset"].forms) == 3
        before, now = _both(page)
        assert now == before
        assert "&lt;b&gt;&quot;Shan&quot; tuyết&lt;/b&gt; &amp; &#x27;cổ thụ&#x27;" in now
        assert "&mdash;" in now and 'data-behaviours="save"' in now
        anonymous_before, anonymous_now = _both(page, user=AnonymousUser())
        assert anonymous_now == anonymous_before and 'data-behaviours="save"' not in anonymous_now


def test_a_refused_quantity_shows_the_same_errors(client, awkward_basket):
    formset = client.get(reverse("basket:summary")).context["formset"]
    data = basket_as_posted(formset, {0: "-3", 2: "99999"})

    page = client.post(reverse("basket:summary"), data)

    assert page.status_code == 200 and page.context["formset"].forms[0].errors
    with translation.override("vi"):
        before, now = _both(page)
    assert now == before
    assert now.count('class="error-block"') >= 1 and 'class="input-group error"' in now


def test_the_page_draws_the_lines_with_the_tag(client, awkward_basket):
    html = client.get(reverse("basket:summary")).content.decode()
    assert html.count('<div class="basket-items">') == 3
    assert html.count('data-behaviours="remove"') == 3

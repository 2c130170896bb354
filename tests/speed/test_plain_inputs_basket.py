"""The basket writes its form's inputs with {% plain_input %} (shop/templatetags/plain_inputs.py), not
through Django's widget templates (issue 21): each input must be the one Django and widget_tweaks
wrote before, for the basket's lines and the lines saved for later, errors included."""
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from tests.basket.posted import basket_as_posted
from tests.speed.test_query_counts_by_size import _basket_of, _web_skus

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")

# The markup the basket's template wrote before: Django's widgets and widget_tweaks' render_field.
BEFORE = Template(
    "{% load i18n widget_tweaks %}{{ formset.management_form }}{% for form in formset %}{{ form.id }}"
    '{% trans "Quantity" as quantity_label %}{% render_field form.quantity class+="form-control" '
    "aria-label=quantity_label %}{{ form.save_for_later }}{{ form.DELETE }}{% endfor %}")
BEFORE_SAVED = Template(
    "{{ formset.management_form }}{% for form in formset %}{{ form.id }}{{ form.move_to_basket }}"
    "{{ form.DELETE }}{% endfor %}")


def inputs_of_form(html: str, form_id: str) -> list[dict]:
    """The <input>s inside <form id=form_id>, in order, but the CSRF token."""
    found, inside = [], []

    class Inputs(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                inside.append(attrs.get("id") == form_id)
            elif tag == "input" and inside and inside[-1] and attrs.get("name") != "csrfmiddlewaretoken":
                found.append(attrs)

        def handle_endtag(self, tag):
            if tag == "form" and inside:
                inside.pop()

    Inputs().feed(html)
    return found


def _inputs(html: str) -> list[dict]:
    return inputs_of_form(f'<form id="x">{html}</form>', "x")


@pytest.fixture
def customer(client):
    user = get_user_model().objects.create_user("khach-o-ro-hang", "khach-o-ro-hang@example.vn", "mat-khau-2026")
    client.force_login(user)
    return user


def test_the_basket_lines_inputs_are_the_ones_django_wrote(client, customer):
    _basket_of(client, 3)
    page = client.get(reverse("basket:summary"))
    formset = page.context["formset"]
    assert len(formset.forms) == 3

    shown = inputs_of_form(page.content.decode(), "basket_formset")

    assert shown == _inputs(BEFORE.render(Context({"formset": formset})))
    assert len(shown) == 4 + 3 * 4  # the management form's, then id, quantity, save for later, delete per line
    quantity = shown[5]
    assert quantity["class"] == "form-control" and quantity["aria-label"] == "Số lượng" and quantity["type"] == "number"


def test_a_quantity_refused_keeps_its_value_and_error_marks(client, customer):
    _basket_of(client, 2)
    formset = client.get(reverse("basket:summary")).context["formset"]
    data = basket_as_posted(formset, {0: "-3"})

    page = client.post(reverse("basket:summary"), data)

    assert page.status_code == 200
    formset = page.context["formset"]
    assert formset.forms[0].errors
    shown = inputs_of_form(page.content.decode(), "basket_formset")
    assert shown == _inputs(BEFORE.render(Context({"formset": formset})))
    assert shown[5]["value"] == "-3" and shown[5]["aria-invalid"] == "true"


def test_the_lines_saved_for_later_inputs_are_the_ones_django_wrote(client, customer):
    _basket_of(client, 1)
    saved = Basket.objects.create(owner=customer, status=Basket.SAVED)
    saved.strategy = get_class("partner.strategy", "Selector")().strategy()
    for sku in _web_skus(3)[1:]:
        saved.add_product(StockRecord.objects.get(partner_sku=sku).product, 1)

    page = client.get(reverse("basket:summary"))
    formset = page.context["saved_formset"]
    assert len(formset.forms) == 2

    shown = inputs_of_form(page.content.decode(), "saved_basket_formset")

    assert shown == _inputs(BEFORE_SAVED.render(Context({"formset": formset})))
    assert len(shown) == 4 + 2 * 3

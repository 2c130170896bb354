"""The stock page writes its inputs without Django's widget templates (shop/templatetags/
plain_inputs.py): each must be the input Django would have written, errors and all."""
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.producer_portal.conftest import stock_page_as_posted

pytestmark = pytest.mark.django_db


def inputs(html: str) -> list[dict]:
    found = []

    class Inputs(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "input":
                found.append(dict(attrs))

    Inputs().feed(html)
    return found


def both(field) -> tuple[list, list]:
    plain = Template("{% load plain_inputs %}{% plain_input field %}").render(Context({"field": field}))
    return inputs(plain), inputs(field.as_widget())


def test_every_input_of_the_stock_page_is_the_one_django_writes(client_a):
    formset = client_a.get(reverse("dashboard:producer-stock")).context["formset"]
    assert formset.forms
    for form in formset.forms:
        for field in form:
            plain, django = both(field)
            assert plain == django and len(plain) == 1, field.html_name


def test_an_input_with_an_error_keeps_its_value_and_aria_attributes(client_a):
    page = client_a.get(reverse("dashboard:producer-stock"))
    data = stock_page_as_posted(page)
    data["form-0-num_in_stock"] = "-3"
    answer = client_a.post(reverse("dashboard:producer-stock"), data)
    field = answer.context["formset"].forms[0]["num_in_stock"]
    assert field.errors
    plain, django = both(field)
    assert plain == django and plain[0]["value"] == "-3" and plain[0].get("aria-invalid") == "true"
    assert 'value="-3"' in answer.content.decode()


def test_the_attributes_are_written_as_django_flatatt_writes_them(client_a):
    """plain_inputs.attributes() writes what flatatt() did, escaping included: the page's bytes
    did not change when it stopped going through flatatt (issue 21)."""
    from django.forms.utils import flatatt
    from django.utils.safestring import mark_safe

    from shop.templatetags.plain_inputs import attributes

    formset = client_a.get(reverse("dashboard:producer-stock")).context["formset"]
    every = [field.build_widget_attrs({"id": field.auto_id}, field.field.widget) for form in formset.forms
             for field in form]
    every.append({"title": 'Trà "Shan" & <cà phê>', "data-x": mark_safe("<b>"), "required": True, "disabled": False,
                  "min": 0, "placeholder": None, "autofocus": True})
    for attrs in every:
        assert attributes(attrs) == str(flatatt(attrs)), attrs

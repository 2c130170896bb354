"""A stock row's checks give the producer the same answers as Django's model form, without the
constraint query Django compiled for each of the page's rows (issue 21).

StockQuickForm._post_clean validates the stock record's constraints through
`evaluable_constraints_valid`: the check constraint "allocated within stock" reads num_allocated,
which the form does not edit, so Django built and compiled a query for it on each row and then
passed it unchecked. The rule itself is StockRecord.clean()'s, with its own message."""
from unittest import mock

import pytest
from django import forms
from django.db.models import Q
from django.urls import reverse

from producer_portal.forms import StockQuickForm

from .conftest import order_of, record, stock_page_as_posted

pytestmark = pytest.mark.django_db
BELOW_HELD = "Đã có 2 sản phẩm được giữ cho đơn hàng: tồn kho không thể thấp hơn số đó."


class DjangosRow(StockQuickForm):
    """The same row checked by Django's own ModelForm._post_clean (Model.validate_constraints)."""

    _post_clean = forms.ModelForm._post_clean


class RowWithAllocated(StockQuickForm):
    """A form that does edit num_allocated: Django can evaluate the constraint there, and so must we."""

    class Meta(StockQuickForm.Meta):
        fields = [*StockQuickForm.Meta.fields, "num_allocated"]


class DjangosRowWithAllocated(RowWithAllocated):
    _post_clean = forms.ModelForm._post_clean


def errors_of(form_class, instance, data):
    form = form_class(data=data, instance=instance)
    form.is_valid()
    return {field: list(messages) for field, messages in form.errors.items()}


ROWS = [
    {"num_in_stock": "10", "price": "150000", "low_stock_threshold": "3"},
    {"num_in_stock": "1", "price": "150000", "low_stock_threshold": ""},  # below the 2 held
    {"num_in_stock": "-1", "price": "150000", "low_stock_threshold": ""},
    {"num_in_stock": "", "price": "", "low_stock_threshold": "x"},
    {"num_in_stock": "5", "price": "150000.5", "low_stock_threshold": "-2"},
    {"num_in_stock": "1", "price": "abc", "low_stock_threshold": "2"},
]


@pytest.mark.parametrize("data", ROWS)
def test_a_rows_errors_are_djangos(data):
    order_of(("CF-001", 2))  # two units held by an order
    held = record("CF-001")
    assert held.num_allocated == 2
    ours = errors_of(StockQuickForm, record("CF-001"), data)
    assert ours == errors_of(DjangosRow, record("CF-001"), data)
    if data["num_in_stock"] == "1":
        assert ours["num_in_stock"] == [BELOW_HELD]


@pytest.mark.parametrize("allocated", ["3", "20", "-1", ""])
def test_a_constraint_django_can_evaluate_is_still_checked(allocated):
    """With num_allocated on the form Django evaluates the check constraint (its message, "More units
    allocated than in stock."): so does the form's own check."""
    data = {"num_in_stock": "10", "price": "150000", "low_stock_threshold": "", "num_allocated": allocated}
    ours = errors_of(RowWithAllocated, record("CF-001"), data)
    assert ours == errors_of(DjangosRowWithAllocated, record("CF-001"), data)
    if allocated == "-1":  # StockRecord.clean() lets it through; only the constraint refuses it
        assert ours == {"__all__": ["Số lượng đã giữ cho đơn hàng vượt quá số lượng trong kho."]}


def test_the_producer_sees_the_same_message_for_a_count_below_what_orders_hold(client_a):
    order_of(("CF-001", 2))
    url = reverse("dashboard:producer-stock")
    data = stock_page_as_posted(client_a.get(url))
    row = next(key for key, value in data.items() if key.endswith("-id") and value == record("CF-001").pk)
    data[row.replace("-id", "-num_in_stock")] = 1
    answer = client_a.post(url, data)
    assert answer.status_code == 200
    assert BELOW_HELD in answer.content.decode()
    assert record("CF-001").num_in_stock > 1


def test_saving_the_list_compiles_no_constraint_query_per_row(client_a):
    """Fails on the old form: Django's CheckConstraint.validate ran Q.check (a query built and
    compiled, then dropped) once per row."""
    url = reverse("dashboard:producer-stock")
    data = stock_page_as_posted(client_a.get(url))
    data["form-0-price"] = int(data["form-0-price"]) + 1000
    with mock.patch.object(Q, "check", autospec=True, side_effect=Q.check) as check:
        answer = client_a.post(url, data)
    assert answer.status_code == 302
    assert check.call_count == 0


def test_saving_the_list_copies_no_field_per_row_and_each_row_keeps_its_own_shown_count(client_a):
    """Fails on the old form: Django deep-copied each row's fields (and widgets) for every form.
    The rows share their fields; what differs by row, the count the page showed, is each form's."""
    url = reverse("dashboard:producer-stock")
    data = stock_page_as_posted(client_a.get(url))
    data["form-0-num_in_stock"] = -1  # refused: the page comes back with the forms
    answer = client_a.post(url, data)
    assert answer.status_code == 200
    rows = answer.context["formset"].forms
    assert len(rows) > 1
    assert all(rows[0].fields[name] is rows[1].fields[name] for name in ("num_in_stock", "price", "shown_in_stock"))
    assert rows[0].fields["id"] is not rows[1].fields["id"]  # the formset's, one a row
    shown = [(form.initial["shown_in_stock"], form.instance.num_in_stock) for form in rows]
    assert all(initial == count for initial, count in shown)
    assert "form-0-num_in_stock" in answer.content.decode() and rows[0].errors["num_in_stock"]

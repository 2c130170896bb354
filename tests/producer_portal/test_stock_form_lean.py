"""Saving the stock page cleans its rows without BoundFields (issue 21): StockQuickForm's
_clean_fields, changed_data, _get_validation_exclusions and validate_unique are Django's, minus the
BoundField objects and with what depends on the form class alone worked out once. These tests hold
them to Django's own on every kind of row, and the page's answer (HTML, saved rows, stock ledger) to
the one Django's methods give."""
from decimal import Decimal
from unittest import mock

import pytest
from django import forms
from django.db import transaction
from django.forms import BoundField
from django.urls import reverse
from oscar.core.loading import get_model

from producer_portal.forms import StockQuickForm, StockQuickFormSet
from tests.page_parts import comparable

from .conftest import order_of, record, stock_page_as_posted

pytestmark = pytest.mark.django_db
DJANGOS = {
    "_clean_fields": forms.ModelForm._clean_fields,
    "changed_data": forms.ModelForm.__dict__.get("changed_data") or forms.BaseForm.__dict__["changed_data"],
    "_get_validation_exclusions": forms.ModelForm._get_validation_exclusions,
    "validate_unique": forms.ModelForm.validate_unique,
    "full_clean": forms.BaseForm.full_clean,  # (StockQuickForm's skips a row posted as shown: unchanged_rows.py)
}


class DjangosRow(StockQuickForm):
    """The same row with Django's own methods."""


for _name, _method in DJANGOS.items():
    setattr(DjangosRow, _name, _method)

SHOWN = {"num_in_stock": "40", "price": "150000", "low_stock_threshold": "", "shown_in_stock": "40"}
ROWS = [
    {},  # as shown
    {"price": "150001"},
    {"num_in_stock": "41"},
    {"num_in_stock": "41", "shown_in_stock": "39"},
    {"low_stock_threshold": "3"},
    {"num_in_stock": "1"},  # below the 2 held
    {"num_in_stock": "-1"},
    {"num_in_stock": "", "price": "", "low_stock_threshold": "x"},
    {"num_in_stock": "5", "price": "150000.5", "low_stock_threshold": "-2"},
    {"price": "abc", "low_stock_threshold": "2"},
    {"price": " 150000 ", "num_in_stock": " 40"},
    {"price": "150000.00"},
    {"price": "1" * 14},
    {"shown_in_stock": ""},
    {"shown_in_stock": "x"},
    {"num_in_stock": None},  # not posted at all
    {"price": None, "low_stock_threshold": None},
]


def posted(change):
    data = {**SHOWN, **change}
    return {k: v for k, v in data.items() if v is not None}


def answer_of(form_class, data):
    instance = record("CF-001")
    instance.num_in_stock = 40
    form = form_class(data=data, instance=instance)
    valid = form.is_valid()
    errors = {field: [(e.message % (e.params or {}), e.code) for e in form.errors.as_data()[field]]
              for field in form.errors}
    values = {f: getattr(form.instance, f) for f in ("num_in_stock", "price", "low_stock_threshold")}
    return {"valid": valid, "errors": errors, "cleaned": getattr(form, "cleaned_data", None),
            "changed": form.changed_data, "has_changed": form.has_changed(),
            "exclusions": form._get_validation_exclusions(), "instance": values}


@pytest.mark.parametrize("change", ROWS)
def test_a_row_gets_djangos_answer(change):
    order_of(("CF-001", 2))  # two units held by an order
    data = posted(change)
    ours, djangos = answer_of(StockQuickForm, data), answer_of(DjangosRow, data)
    assert ours == djangos
    assert isinstance(djangos["instance"]["price"], Decimal)


def test_a_row_is_cleaned_without_boundfields():
    """Fails on the old form: Django made a BoundField for each of a row's fields to clean it."""
    with mock.patch.object(BoundField, "__init__", autospec=True, side_effect=BoundField.__init__) as made:
        form = StockQuickForm(data=posted({"price": "150001"}), instance=record("CF-001"))
        assert form.is_valid() and form.has_changed()
    assert made.call_count == 0


def test_a_field_that_needs_its_boundfield_is_cleaned_by_django():
    class WithHiddenInitial(StockQuickForm):
        pass

    form = WithHiddenInitial(data=posted({}), instance=record("CF-001"))
    form.fields = dict(form.fields)
    form.fields["note"] = forms.CharField(required=False, show_hidden_initial=True)
    assert not form._lean
    assert form.is_valid()


def _page(client, data):
    answer = client.post(reverse("dashboard:producer-stock"), data)
    return answer.status_code, comparable(answer.content.decode())


def _with_djangos_methods():
    return mock.patch.multiple(StockQuickForm, **DJANGOS)


@pytest.mark.parametrize("spoil", [
    {"form-0-num_in_stock": "-3", "form-1-price": "12.5"},
    {"form-0-price": "", "form-2-low_stock_threshold": "x", "form-1-num_in_stock": "1.5"},
])
def test_a_refused_page_is_the_one_djangos_methods_draw(client_a, spoil):
    data = {**stock_page_as_posted(client_a.get(reverse("dashboard:producer-stock"))), **spoil}
    ours = _page(client_a, data)
    with _with_djangos_methods():
        djangos = _page(client_a, data)
    assert ours[0] == djangos[0] == 200
    assert ours[1] == djangos[1]


def test_a_saved_page_writes_what_djangos_methods_write(client_a):
    """The same post saved with Django's methods (then rolled back) and with ours: the same records,
    the same stock ledger rows, the same audit entries; and both audits pass."""
    from auditlog.models import LogEntry

    from shop.partner import stock

    StockRecord, StockMovement = get_model("partner", "StockRecord"), get_model("partner", "StockMovement")
    url = reverse("dashboard:producer-stock")
    data = stock_page_as_posted(client_a.get(url))
    rows = [value for key, value in data.items() if key.endswith("-id")]
    data["form-0-price"] = int(data["form-0-price"]) + 1000
    data["form-1-num_in_stock"] = int(data["form-1-num_in_stock"]) + 7
    data["form-2-low_stock_threshold"] = 4
    last_movement = StockMovement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_entry = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def saved():
        answer = client_a.post(url, data)
        assert answer.status_code == 302
        assert stock.audit(StockRecord.objects.filter(pk__in=rows)) == []
        return ([(r.pk, r.num_in_stock, r.num_allocated, r.price, r.low_stock_threshold)
                 for r in StockRecord.objects.filter(pk__in=rows).order_by("pk")],
                [(m.stockrecord_id, m.delta_in_stock, m.delta_allocated, m.reason, m.actor_id)
                 for m in StockMovement.objects.filter(pk__gt=last_movement).order_by("pk")],
                [(e.object_pk, e.action, e.changes) for e in LogEntry.objects.filter(pk__gt=last_entry).order_by("pk")])

    with transaction.atomic():
        with _with_djangos_methods():
            djangos = saved()
        transaction.set_rollback(True)
    ours = saved()
    assert ours == djangos
    assert len(ours[1]) == 1 and ours[1][0][1] == 7  # the count's movement
    assert len(ours[2]) >= 2  # the price and the threshold, audited


def test_a_row_outside_the_list_is_refused_as_before(client_a, producer_b):
    url = reverse("dashboard:producer-stock")
    data = stock_page_as_posted(client_a.get(url))
    data["form-0-id"] = get_model("partner", "StockRecord").objects.filter(partner=producer_b).first().pk
    ours = _page(client_a, data)
    with _with_djangos_methods():
        djangos = _page(client_a, data)
    assert ours == djangos and ours[0] == 200


def test_the_pages_formset_cleans_its_rows_so():
    form_class = StockQuickFormSet.form  # modelformset_factory's subclass: it inherits the four
    assert issubclass(form_class, StockQuickForm)
    assert not set(DJANGOS) & set(form_class.__dict__)

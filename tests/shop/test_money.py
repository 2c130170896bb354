"""Prices are whole đồng in the dashboard too: no "185000.00", no half đồng."""
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_class, get_model

from core.money import whole_dong

StockRecord = get_model("partner", "StockRecord")
StockRecordForm = get_class("dashboard.catalogue.forms", "StockRecordForm")

pytestmark = pytest.mark.django_db


def test_whole_dong_rounds_half_up():
    assert whole_dong("150000.5") == Decimal("150001")
    assert whole_dong(Decimal("149999.4")) == Decimal("149999")


def test_product_edit_page_shows_price_without_decimals(client):
    client.login(username="admin@ocop.demo", password="ocop-admin-2026")
    record = StockRecord.objects.get(partner_sku="CF-001")
    body = client.get(f"/dashboard/catalogue/products/{record.product_id}/").content.decode()
    assert 'value="185000"' in body
    assert "185000.00" not in body


def _form(record, price):
    admin = get_user_model().objects.get(email="admin@ocop.demo")
    data = {
        "partner": record.partner_id, "partner_sku": record.partner_sku, "price_currency": "VND",
        "price": price, "num_in_stock": record.num_in_stock, "low_stock_threshold": 5,
    }
    return StockRecordForm(record.product.get_product_class(), admin, data=data, instance=record)


def test_stock_form_refuses_fractions_of_a_dong_with_a_clear_message():
    form = _form(StockRecord.objects.get(partner_sku="CF-001"), "185000.5")
    assert not form.is_valid()
    assert form.errors["price"] == ["Nhập số đồng nguyên (VND không có phần thập phân)."]


def test_stock_form_saves_whole_dong():
    form = _form(StockRecord.objects.get(partner_sku="CF-001"), "190000")
    assert form.is_valid(), form.errors
    assert form.save().price == Decimal("190000")

"""The counter's pages as staff see them, the Z report's figures, the demo's counters, and the
admin pages of the counter's records."""
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from pos import reports
from pos.models import CashMovement
from showrooms.models import Showroom, ShowroomStaff

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def test_every_counter_page_renders_for_its_staff(counter):
    counter.scan(counter.tea.upc)
    number = counter.complete(cash_tendered=150000).json()["sale"]["number"]
    for name, kwargs in (("pos:counter", {}), ("pos:history", {}), ("pos:shelf", {}), ("pos:shift-cash", {}),
                         ("pos:shift-close", {}), ("pos:receipt", {"number": number}),
                         ("pos:return", {"number": number}), ("pos:shift-report", {"pk": counter.shift.pk})):
        response = counter.client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        assert response["Content-Language"] == "vi"


def test_the_counter_shows_the_cart_the_quick_notes_and_no_discount_without_permission(counter):
    html = counter.client.get(reverse("pos:counter")).content.decode()
    assert 'data-note="500000">500.000 ₫</button>' in html
    assert "pos/pos.js" in html and 'id="cart-data"' in html
    assert 'id="discount-amount"' not in html


def test_the_customer_phone_is_kept_with_the_sale(counter):
    counter.scan(counter.tea.upc)
    assert counter.api("customer", {"phone": "12"}).status_code == 400
    assert counter.api("customer", {"phone": "0912 345 678"}).json()["cart"]["customer_phone"] == "0912345678"
    number = counter.complete(cash_tendered=150000).json()["sale"]["number"]
    html = counter.client.get(reverse("pos:receipt", kwargs={"number": number})).content.decode()
    assert "0912345678" in html


def test_bad_json_and_bad_amounts_get_a_message_not_an_error_page(counter):
    counter.scan(counter.tea.upc)
    bad = counter.client.post(reverse("pos:api-complete"), "not json", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]
    cart = counter.cart()
    nan = counter.api("complete", {"basket": cart["basket"], "version": cart["version"], "cash_tendered": "NaN"})
    assert nan.status_code == 400
    empty_scan = counter.scan("")
    assert empty_scan.status_code == 400


def test_the_z_report_adds_up_methods_returns_movements_products_and_producers(counter):
    counter.scan(counter.tea.upc, quantity=2)
    counter.complete(cash_tendered=300000)
    counter.scan(counter.honey.upc)
    counter.complete(card_amount=185000, card_reference="T-9")
    counter.client.post(reverse("pos:shift-cash"), {"kind": "out", "amount": "20000", "reason": "Nước uống"})
    report = reports.z_report(counter.shift)
    assert (report.sales, report.gross) == (2, Decimal(485000))
    assert [amount for _label, amount in report.by_method] == [300000, 0, 185000]
    assert [(p["quantity"], p["amount"]) for p in report.top_products] == [(2, 300000), (1, 185000)]
    assert report.by_producer == [{"producer": counter.producer.name, "quantity": 3, "amount": Decimal(485000)}]
    assert [m.amount for m in report.movements if m.kind == CashMovement.OUT] == [20000]
    assert report.expected == 500000 + 300000 - 20000


def test_the_demo_has_shelves_and_counter_staff_who_can_sign_in(client):
    shelved = [s for s in Showroom.objects.all() if StockRecord.objects.filter(partner=s.partner, num_in_stock__gt=0).exists()]
    assert len(shelved) >= 4
    assert all(s.partner_id for s in Showroom.objects.all())
    assert client.login(username="thungan.moc-chau@ocop.demo", password="ocop-cashier-2026")
    staff = ShowroomStaff.objects.get(user__email="thungan.moc-chau@ocop.demo")
    assert (staff.showroom.slug, staff.role, staff.may_discount) == ("demo-moc-chau", "cashier", False)
    assert ShowroomStaff.objects.get(user__email="quanly.moc-chau@ocop.demo").may_discount
    page = client.get(reverse("pos:counter"))
    assert "pos/shift_open.html" in [t.name for t in page.templates]


def test_the_office_admin_lists_shifts_and_cannot_add_a_transfer_that_moves_no_stock(counter, client):
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    assert client.get(reverse("admin:pos_shift_changelist")).status_code == 200
    assert client.get(reverse("admin:pos_transfer_add")).status_code == 403
    assert client.get(reverse("admin:showrooms_showroom_change", args=[counter.showroom.pk])).status_code == 200

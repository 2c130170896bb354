"""COD reconciliation: the carrier's payout statement (CSV as exported) against what our parcels
collected; the office sees what is not paid out yet and every mismatch."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carriers import cod, shipments
from carriers.base import CarrierStatus
from carriers.models import CodPayout, Shipment

from .orders import delivery_order, partners

pytestmark = pytest.mark.django_db


def delivered_parcels(ghn):
    order = delivery_order()
    parcels = [shipments.create_waybill(order=order, partner=p) for p in partners(order)]
    for parcel in parcels:
        ghn.set_status(parcel.waybill, "delivered")
        shipments.refresh(parcel, source="poll")
    return [Shipment.objects.get(pk=p.pk) for p in parcels]


def statement(rows, delimiter=";") -> bytes:
    head = delimiter.join(["STT", "Mã vận đơn", "Tiền thu hộ", "Tổng phí"])
    lines = [head] + [delimiter.join([str(i), code, amount, fee]) for i, (code, amount, fee) in enumerate(rows, 1)]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def test_statement_lines_match_waybills_and_show_what_is_still_owed_and_mismatches(ghn, mapped):
    a, b = delivered_parcels(ghn)
    assert {a.status, b.status} == {CarrierStatus.DELIVERED}
    data = statement([(a.waybill, f"{int(a.cod_amount):,}".replace(",", "."), "22.000"),
                      ("GHNUNKNOWN1", "100.000", "0")])

    result = cod.import_statement(carrier="ghn", statement="ghn-2026-12-06.csv", data=data)
    again = cod.import_statement(carrier="ghn", statement="ghn-2026-12-06.csv", data=data)
    waiting, mismatched = cod.reconciliation()

    assert (result.added, result.already, result.errors) == (2, 0, [])
    assert (again.added, again.already) == (0, 2)
    assert CodPayout.objects.get(waybill=a.waybill).shipment == a
    assert [r.waybill for r in waiting] == [b.waybill]
    assert [(r.waybill, r.collected, r.paid_out) for r in mismatched] == [("GHNUNKNOWN1", 0, 100000)]


def test_a_short_payout_is_a_mismatch(ghn, mapped):
    a, _b = delivered_parcels(ghn)
    cod.import_statement(carrier="ghn", statement="s1", data=statement([(a.waybill, str(int(a.cod_amount) - 1000),
                                                                          "0")], delimiter=","))
    _waiting, mismatched = cod.reconciliation()
    assert [(r.waybill, r.difference) for r in mismatched] == [(a.waybill, -1000)]


@pytest.mark.parametrize("data, error", [
    (b"\xff\xfe garbage", "UTF-8"),
    (b"a,b\n1,2\n", "Dòng đầu không có cột mã vận đơn"),
    (b"", "Tệp trống"),
])
def test_unreadable_statements_change_nothing(data, error):
    result = cod.import_statement(carrier="ghn", statement="x", data=data)
    assert error in " ".join(result.errors) and result.added == 0
    assert not CodPayout.objects.exists()


def test_a_line_with_a_bad_amount_is_reported_with_its_number(ghn, mapped):
    result = cod.import_statement(carrier="ghn", statement="s", data=statement([("GHN1", "abc", "0"),
                                                                                ("GHN2", "5000", "0")]))
    assert result.added == 1 and result.errors == ["Dòng 2: thiếu mã vận đơn hoặc số tiền không phải số nguyên."]


def test_office_page_imports_a_statement(client, django_user_model, ghn, mapped):
    client.force_login(django_user_model.objects.get(email="vanphong@ocop.demo"))
    a, b = delivered_parcels(ghn)
    upload = SimpleUploadedFile("ghn.csv", statement([(a.waybill, str(int(a.cod_amount)), "0")]), "text/csv")

    response = client.post(reverse("carriers-office:cod"), {"carrier": "ghn", "statement": upload}, follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-waybill="{b.waybill}"' in html and f'data-waybill="{a.waybill}"' not in html
    assert "Đối soát COD" in html


def test_shoppers_and_producers_cannot_open_it(client, django_user_model):
    for email in ("khach@ocop.demo", "htx.chiengmai@ocop.demo"):
        client.force_login(django_user_model.objects.get(email=email))
        assert client.get(reverse("carriers-office:cod")).status_code == 302


def test_an_xlsx_statement_as_exported_is_read_like_the_csv(ghn, mapped):
    import io

    import openpyxl

    a, b = delivered_parcels(ghn)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Mã vận đơn", "Tiền thu hộ", "Tổng phí"])
    sheet.append([1, a.waybill, float(a.cod_amount), 22000])  # Excel keeps numbers as floats
    sheet.append([2, b.waybill, int(b.cod_amount) - 500, 0])
    out = io.BytesIO()
    book.save(out)

    result = cod.import_statement(carrier="ghn", statement="ghn.xlsx", data=out.getvalue())
    waiting, mismatched = cod.reconciliation()

    assert (result.added, result.errors) == (2, [])
    assert waiting == [] and [(r.waybill, r.difference) for r in mismatched] == [(b.waybill, -500)]


def test_a_damaged_workbook_is_refused():
    result = cod.import_statement(carrier="ghn", statement="x.xlsx", data=b"PK\x03\x04not really a zip")
    assert result.errors == ["Không đọc được tệp Excel."] and not CodPayout.objects.exists()

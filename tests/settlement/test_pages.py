"""The producer's "Revenue & payouts" page and the office's payout pages, as their users see them,
with the bad input each must answer without a 500."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from notifications.models import Kind as NoticeKind
from notifications.models import Notification
from settlement import accounts
from settlement.models import BankAccountChange, CommissionRule, Entry, Payout
from tests.pos.factories import make_product

from .conftest import days_ago, deliver_online

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
PRODUCER_EMAIL, OFFICE_EMAIL = "htx.chiengmai@ocop.demo", "vanphong@ocop.demo"


@pytest.fixture
def producer(db):
    return Partner.objects.get(code="chieng-mai-coffee")


@pytest.fixture
def producer_client(client, producer):
    client.force_login(get_user_model().objects.get(email=PRODUCER_EMAIL))
    return client


@pytest.fixture
def office_client(db):
    from django.test import Client

    c = Client()
    c.force_login(get_user_model().objects.get(email=OFFICE_EMAIL))
    return c


@pytest.fixture
def sold(producer):
    coffee = make_product(producer, title="Cà phê Arabica rang xay 500g", price=Decimal(210000))
    deliver_online((coffee, 2), at=days_ago(20))
    return coffee


def test_the_producer_sees_balance_statement_and_chart(producer_client, sold):
    month = timezone.localdate() - dt.timedelta(days=20)
    page = producer_client.get(reverse("dashboard:producer-money"), {"month": f"{month:%Y-%m}"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-balance="378000"' in html and "378.000" in html  # 420.000 − 10 %
    assert html.count("data-statement-row") == 1 and "Cà phê Arabica rang xay 500g" in html
    assert "<svg" in html and "<rect" in html
    assert reverse("dashboard:producer-money") in producer_client.get(reverse("dashboard:producer-home")).content.decode()


def test_statement_csv_and_pdf_download(producer_client, sold):
    month = f"{timezone.localdate() - dt.timedelta(days=20):%Y-%m}"
    csv = producer_client.get(reverse("dashboard:producer-statement-csv"), {"month": month})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert re.search(r"^\d{4}-\d\d-\d\d,\d+,Cà phê Arabica rang xay 500g #\d+,2,420000,42000,378000\r$", text, re.M)
    pdf = producer_client.get(reverse("dashboard:producer-statement-pdf"), {"month": month})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"DejaVu" in pdf.content  # the Vietnamese font is embedded


@pytest.mark.parametrize("month", ["abc", "2026-13", "9999-01", "-1", "2026-1-1", "１２"])
def test_a_month_that_is_no_month_shows_this_month(producer_client, month):
    for name in ("dashboard:producer-money", "dashboard:producer-statement-csv", "dashboard:producer-statement-pdf"):
        assert producer_client.get(reverse(name), {"month": month}).status_code == 200


def test_bank_account_letters_refused_then_saved_logged_and_e_mailed(producer_client, producer):
    url = reverse("dashboard:producer-bank-account")
    page = producer_client.post(url, {"bank_bin": "970436", "account_number": "0123ABC456", "holder": "HTX"})
    assert page.status_code == 200 and 'data-error="account_number"' in page.content.decode()
    assert not BankAccountChange.objects.filter(producer=producer).exists()
    assert producer_client.post(url, {"bank_bin": "123456", "account_number": "0123456", "holder": "HTX"}).status_code == 200

    done = producer_client.post(url, {"bank_bin": "970418", "account_number": "1234 5678 90", "holder": "htx  ca phe"})

    assert done.status_code == 302
    account = producer.bank_account
    assert (account.bank_bin, account.account_number, account.holder) == ("970418", "1234567890", "HTX CA PHE")
    change = BankAccountChange.objects.get(producer=producer)
    assert change.after["masked"].endswith("7890") and change.changed_by.email == PRODUCER_EMAIL
    notice = Notification.objects.get(kind=NoticeKind.BANK_ACCOUNT, partner=producer)
    assert notice.payload["bank"] == "BIDV"


def test_another_producer_or_a_shopper_cannot_open_the_page(client, db):
    client.force_login(get_user_model().objects.get(email="khach@ocop.demo"))
    assert client.get(reverse("dashboard:producer-money")).status_code in (302, 403, 404)


def test_office_makes_a_run_sees_qr_and_csv_and_marks_paid_once(office_client, producer, sold):
    accounts.save_account(producer=producer, bank_bin="970436", account_number="0123456789", holder="HTX CA PHE")
    today = timezone.localdate()
    page = office_client.post(reverse("dashboard:settlement-runs"), {
        "period_start": (today - dt.timedelta(days=40)).isoformat(),
        "period_end": (today - dt.timedelta(days=10)).isoformat(), "minimum": "100000"}, follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and "HTX CA PHE" in html and "378.000" in html
    assert html.count("<svg") >= 1  # the VietQR code
    payout = Payout.objects.get(producer=producer)
    csv = office_client.get(reverse("dashboard:settlement-run-csv", kwargs={"pk": payout.run_id}))
    assert f"970436,Vietcombank,0123456789,HTX CA PHE,378000,{payout.reference}" in csv.content.decode("utf-8-sig")

    url = reverse("dashboard:settlement-pay", kwargs={"pk": payout.pk})
    first = office_client.post(url, {"bank_reference": "FT26340001"}, follow=True)
    again = office_client.post(url, {"bank_reference": "FT26340001"}, follow=True)

    assert "Đã xác nhận chuyển tiền cho HTX Cà phê Chiềng Mai" in first.content.decode()
    assert again.status_code == 200 and Entry.objects.filter(payout=payout).count() == 1
    assert "không có khoản nào bị trả hai lần" in again.content.decode()
    assert "FT26340001" in again.content.decode()


def test_office_bad_input_gets_messages_not_500(office_client):
    today = timezone.localdate()
    runs = reverse("dashboard:settlement-runs")
    assert office_client.post(runs, {"period_start": "x", "period_end": "", "minimum": "-5"}).status_code == 200
    assert office_client.post(runs, {"period_start": today.isoformat(), "period_end": today.isoformat(),
                                     "minimum": "0"}).status_code == 200
    assert office_client.post(runs, {"period_start": "2026-01-01", "period_end": "2026-01-31",
                                     "minimum": str(10**30)}).status_code == 200
    rules = reverse("dashboard:settlement-commission")
    page = office_client.post(rules, {"rate": "150", "effective_from": today.isoformat()})
    assert page.status_code == 200 and 'data-error="rate"' in page.content.decode()
    assert office_client.post(rules, {"rate": "5", "effective_from": "2020-01-01"}).status_code == 200
    assert not CommissionRule.objects.exists()
    assert office_client.post(rules, {"rate": "7.5", "effective_from": today.isoformat()}).status_code == 302
    pay = reverse("dashboard:settlement-pay", kwargs={"pk": 999999})
    assert office_client.post(pay, {"bank_reference": "X"}).status_code == 404
    for query in ({"start": "x"}, {"start": "2026-12-01", "end": "2026-01-01"}, {"format": "csv", "start": "2026-13-01"}):
        assert office_client.get(reverse("dashboard:settlement-report"), query).status_code == 200


def test_report_csv_cells_cannot_be_formulas(office_client, db):
    evil = Partner.objects.create(code="evil-htx", name="=HYPERLINK(\"http://x\")", kind="cooperative")
    coffee = make_product(evil, title="@SUM(A1)", price=Decimal(100000))
    deliver_online((coffee, 1))
    today = timezone.localdate()
    csv = office_client.get(reverse("dashboard:settlement-report"),
                            {"start": today.replace(day=1).isoformat(), "end": today.isoformat(), "format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and not re.search(r"(^|,)=HYPERLINK", text, re.M)


def test_producers_cannot_open_the_office_pages(producer_client):
    for name in ("dashboard:settlement-runs", "dashboard:settlement-commission", "dashboard:settlement-report"):
        assert producer_client.get(reverse(name)).status_code in (302, 403, 404)


def test_a_producer_with_money_records_cannot_be_deleted_and_the_office_is_told_why(db, producer, sold):
    from django.test import Client

    admin = Client()
    admin.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    page = admin.post(reverse("dashboard:partner-delete", kwargs={"pk": producer.pk}), follow=True)
    assert page.status_code == 200 and Partner.objects.filter(pk=producer.pk).exists()
    assert "không thể xoá" in page.content.decode()

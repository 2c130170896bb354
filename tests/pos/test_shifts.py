"""Shifts and the drawer: open with a float, cash in/out with a reason, close by counting notes,
the Z report; who may open the counter at all."""
from decimal import Decimal

import pytest
from django.urls import reverse

from pos import shifts
from pos.errors import PosError
from pos.models import Shift

from .factories import make_showroom, make_staff

pytestmark = pytest.mark.django_db


def test_the_counter_asks_for_a_shift_first_and_opens_one_with_the_float(client):
    showroom = make_showroom()
    cashier = make_staff(showroom)
    client.force_login(cashier)
    page = client.get(reverse("pos:counter"))
    assert "pos/shift_open.html" in [t.name for t in page.templates]
    client.post(reverse("pos:shift-open"), {"opening_float": "500.000"})
    shift = Shift.objects.get(cashier=cashier)
    assert shift.is_open and shift.opening_float == 500000
    assert "pos/counter.html" in [t.name for t in client.get(reverse("pos:counter")).templates]
    refused = client.post(reverse("pos:shift-open"), {"opening_float": "100000"}, follow=True)
    assert "already have an open shift" in refused.content.decode() or "ca chưa đóng" in refused.content.decode()
    assert Shift.objects.filter(cashier=cashier).count() == 1


def test_only_showroom_staff_reach_the_counter(client, django_user_model):
    assert client.get(reverse("pos:counter")).status_code == 302  # to the sign-in page
    client.force_login(django_user_model.objects.create_user("walkin", "walkin@example.vn", "x-secret-pos-1"))
    assert client.get(reverse("pos:counter")).status_code == 403


def test_cash_in_and_out_need_a_reason_and_count_in_the_expected_cash(counter):
    url = reverse("pos:shift-cash")
    counter.client.post(url, {"kind": "in", "amount": "200000", "reason": "Đổi tiền lẻ"})
    counter.client.post(url, {"kind": "out", "amount": "50000", "reason": "Mua túi đựng"})
    counter.client.post(url, {"kind": "out", "amount": "10000", "reason": ""})  # refused: no reason
    assert [(m.kind, m.amount) for m in counter.shift.movements.all()] == [("in", 200000), ("out", 50000)]
    counter.scan(counter.tea.upc)
    counter.complete(cash_tendered=200000)  # 150.000 kept, 50.000 change
    assert shifts.expected_cash(counter.shift) == Decimal(500000 + 200000 - 50000 + 150000)


def test_closing_counts_the_notes_and_a_difference_needs_a_note(counter):
    counter.scan(counter.tea.upc)
    counter.complete(cash_tendered=200000)  # drawer: 500.000 + 150.000
    url = reverse("pos:shift-close")
    short = counter.client.post(url, {"n500000": "1", "n100000": "1", "n20000": "2"}, follow=True)  # 640.000
    assert "10.000 ₫" in short.content.decode()
    counter.shift.refresh_from_db()
    assert counter.shift.is_open
    done = counter.client.post(url, {"n500000": "1", "n100000": "1", "n20000": "2", "note": "Thiếu 10.000, trả nhầm"})
    counter.shift.refresh_from_db()
    assert done.url == reverse("pos:shift-report", kwargs={"pk": counter.shift.pk})
    assert (counter.shift.counted_total, counter.shift.expected, counter.shift.difference) == (640000, 650000, -10000)
    assert counter.shift.counted == {"500000": 1, "100000": 1, "20000": 2}
    report = counter.client.get(done.url).content.decode()
    assert "650.000 ₫" in report and "640.000 ₫" in report and counter.tea.title in report
    assert counter.client.get(reverse("pos:counter")).templates[0].name == "pos/shift_open.html"


def test_a_count_that_matches_closes_without_a_note(counter):
    shift = shifts.close_shift(shift=counter.shift, counted={"500000": 1})
    assert shift.difference == 0 and not shift.is_open
    with pytest.raises(PosError):
        shifts.close_shift(shift=shift, counted={"500000": 1})
    with pytest.raises(PosError):
        shifts.count_total({"500000": "-1"})


def test_a_cashier_of_one_showroom_cannot_see_another_showrooms_sales_or_shifts(counter, client):
    counter.scan(counter.tea.upc)
    number = counter.complete(cash_tendered=150000).json()["sale"]["number"]
    elsewhere = make_showroom()
    other = make_staff(elsewhere)
    client.force_login(other)
    assert client.get(reverse("pos:receipt", kwargs={"number": number})).status_code == 404
    assert client.get(reverse("pos:return", kwargs={"number": number})).status_code == 404
    assert client.get(reverse("pos:shift-report", kwargs={"pk": counter.shift.pk})).status_code == 404
    assert number not in client.get(reverse("pos:history")).content.decode()


def test_staff_of_two_showrooms_choose_where_they_work_and_no_other(client):
    from showrooms.models import ShowroomStaff

    first, second, elsewhere = make_showroom(), make_showroom(), make_showroom()
    cashier = make_staff(first)
    ShowroomStaff.objects.create(showroom=second, user=cashier)
    client.force_login(cashier)
    assert client.get(reverse("pos:counter")).context["showroom"] in (first, second)
    client.post(reverse("pos:choose-showroom"), {"showroom": second.pk})
    assert client.get(reverse("pos:counter")).context["showroom"] == second
    assert client.post(reverse("pos:choose-showroom"), {"showroom": elsewhere.pk}).status_code == 403
    assert client.get(reverse("pos:counter")).context["showroom"] == second

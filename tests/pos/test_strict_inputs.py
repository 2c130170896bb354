"""Counter inputs read strictly (issue 20): a yes/no is JSON true or false, and a shift's note count
is bounded (a huge count was a 500, numeric overflow)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from pos.models import PosSale, Shift

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("said", ["no", "false", "0", "", 0, 1, "yes", [], {}, "true"])
def test_a_transfer_is_confirmed_only_by_json_true(counter, said):
    counter.scan(counter.tea.upc)
    response = counter.complete(vietqr_amount=150000, vietqr_confirmed=said)
    assert response.status_code == 400, response.content
    assert "true" in response.json()["error"] or "xác nhận" in response.json()["error"].lower()
    assert not PosSale.objects.filter(showroom=counter.showroom).exists()


def test_json_true_confirms_the_transfer(counter):
    counter.scan(counter.tea.upc)
    response = counter.complete(vietqr_amount=150000, vietqr_confirmed=True)
    assert response.status_code == 200, response.content
    assert PosSale.objects.filter(showroom=counter.showroom).count() == 1


def test_json_false_is_a_transfer_not_confirmed(counter):
    counter.scan(counter.tea.upc)
    response = counter.complete(vietqr_amount=150000, vietqr_confirmed=False)
    assert response.status_code == 400
    assert not PosSale.objects.filter(showroom=counter.showroom).exists()


@pytest.mark.parametrize("count", [str(10**12), str(10**30), "100001", "9" * 5000])
def test_a_huge_note_count_is_refused_with_a_message_and_the_shift_stays_open(counter, count):
    response = counter.client.post(reverse("pos:shift-close"), {"n500000": count, "note": "đếm"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chỉ đếm tối đa 100.000 tờ" in page or "500.000" in page, page[-3000:]
    assert Shift.objects.get(pk=counter.shift.pk).closed_at is None


def test_a_count_within_the_bound_closes_the_shift(counter):
    response = counter.client.post(reverse("pos:shift-close"), {"n500000": "1", "note": "thừa tiền"})
    assert response.status_code == 302
    assert Shift.objects.get(pk=counter.shift.pk).closed_at is not None

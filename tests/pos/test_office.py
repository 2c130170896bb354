"""The OCOP office: every showroom's shifts, and sales by day online and at the counters."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pos import reports

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(django_user_model):
    from django.test import Client

    client = Client()  # its own session: the counter fixture's client stays the cashier's
    client.force_login(django_user_model.objects.get(email="admin@ocop.demo"))
    return client


def test_the_office_sees_every_showrooms_shifts(counter, office):
    page = office.get(reverse("pos-office:shifts")).content.decode()
    assert counter.showroom.name in page
    assert reverse("pos:shift-report", kwargs={"pk": counter.shift.pk}) in page
    assert office.get(reverse("pos:shift-report", kwargs={"pk": counter.shift.pk})).status_code == 200


def test_cashiers_do_not_reach_the_office_pages(counter):
    assert counter.client.get(reverse("pos-office:daily")).status_code == 302


def test_sales_by_day_put_online_and_counter_side_by_side_with_csv(counter, office):
    before = {d.day: d for d in reports.daily(days=1)}[timezone.localdate()]
    counter.scan(counter.tea.upc)
    counter.complete(cash_tendered=150000)
    today = reports.daily(days=2)[0]
    assert today.day == timezone.localdate()
    assert (today.pos_orders, today.pos_total) == (before.pos_orders + 1, before.pos_total + 150000)
    assert today.online_orders == before.online_orders
    page = office.get(reverse("pos-office:daily"))
    assert page.status_code == 200 and 'class="bar pos"' in page.content.decode()
    csv = office.get(reverse("pos-office:daily"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    rows = csv.content.decode().splitlines()
    assert len(rows) == 15
    assert rows[1].startswith(timezone.localdate().isoformat()) and f",{int(today.pos_total)}" in rows[1]
    assert rows[-1].startswith((timezone.localdate() - dt.timedelta(days=13)).isoformat())


@pytest.mark.parametrize("showroom", ["99999999999999999999999999", "²", "-1", "1e3"])
def test_a_showroom_filter_that_is_no_showroom_lists_every_shift(counter, office, showroom):
    response = office.get(reverse("pos-office:shifts"), {"showroom": showroom})

    assert response.status_code == 200
    assert counter.shift in response.context["shifts"]

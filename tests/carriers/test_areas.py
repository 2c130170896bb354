"""Our wards mapped to GHN's master data by name (`manage.py sync_carrier_areas ghn`)."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carriers.models import CarrierArea
from core.places import ward_code

pytestmark = pytest.mark.django_db


def test_sync_maps_wards_by_name_and_lists_the_rest(ghn):
    out = io.StringIO()
    call_command("sync_carrier_areas", "ghn", stdout=out)

    to_hieu = CarrierArea.objects.get(carrier="ghn", ward_code=str(ward_code("Phường Tô Hiệu")))
    assert (to_hieu.carrier_district, to_hieu.carrier_ward) == ("2003", "280101")
    assert ghn.calls("/master-data/province")[0].headers["token"]
    text = out.getvalue()
    assert text.startswith(f"{CarrierArea.objects.count()} wards mapped")
    assert "without a ward of that name" in text

    call_command("sync_carrier_areas", "ghn", stdout=io.StringIO())  # again: same rows, none added
    assert CarrierArea.objects.filter(ward_code=to_hieu.ward_code).count() == 1


def test_sync_needs_ghn_configured(no_carrier):
    with pytest.raises(CommandError, match="not configured"):
        call_command("sync_carrier_areas", "ghn")


def test_sync_says_when_ghn_does_not_answer(ghn):
    ghn.fail(500)
    with pytest.raises(CommandError, match="did not answer"):
        call_command("sync_carrier_areas", "ghn")

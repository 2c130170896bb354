"""`demo_orders` gives the two demo producers orders to prepare and notices, once."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_demo_orders_show_in_both_portals_and_a_second_run_adds_nothing(client_a, client_b,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_orders", stdout=io.StringIO())
        call_command("demo_orders", stdout=io.StringIO())
    coffee = client_a.get(reverse("dashboard:producer-home")).context
    tea = client_b.get(reverse("dashboard:producer-home")).context
    assert [o.number for o in coffee["orders"]] == ["DEMO-100001", "DEMO-100002"]
    assert [o.number for o in tea["orders"]] == ["DEMO-100001", "DEMO-100003"]
    assert coffee["unread_count"] == 2 and tea["unread_count"] >= 2
    assert Notification.objects.filter(kind="new_order").count() == 4

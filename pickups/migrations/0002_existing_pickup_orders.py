"""Pick-up orders placed before pick-ups were followed get their row, so the showroom sees them:
still open -> waiting for the producer's goods (their units are held on the producer's record),
delivered -> collected, cancelled -> expired."""
import re

from django.db import migrations


def digits(phone) -> str:
    raw = re.sub(r"\D", "", str(phone or ""))
    return ("0" + raw[2:] if raw.startswith("84") and len(raw) >= 11 else raw)[:20]


def forwards(apps, schema_editor):
    Order = apps.get_model("order", "Order")
    Pickup = apps.get_model("pickups", "Pickup")
    state_of = {"Delivered": "collected", "Cancelled": "expired"}
    for order in (Order.objects.filter(pickup_showroom__isnull=False, pickup__isnull=True)
                  .select_related("shipping_address").iterator()):
        address = order.shipping_address
        Pickup.objects.create(order=order, showroom_id=order.pickup_showroom_id,
                              state=state_of.get(order.status, "waiting"),
                              phone=digits(address.phone_number if address else ""))


class Migration(migrations.Migration):
    dependencies = [
        ("pickups", "0001_initial"),
        ("order", "0023_pickup_showroom_and_address_codes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

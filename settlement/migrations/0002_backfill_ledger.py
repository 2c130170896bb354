"""Existing shops: record what was sold before the ledger existed, so ledger_audit holds at once.

Counter sales and their returns at their own times; online lines of orders already Delivered at
the time the order reached that status (its status change), else when it was placed. Uses this
release's services (the same rows a live sale writes); on a new database there is nothing to do.
"""
from django.db import migrations


def backfill(apps, schema_editor):
    from oscar.core.loading import get_model

    from settlement import services

    # The live models (the services write with them), by name: settlement sits below pos.
    Order = get_model("order", "Order")
    PosSale = get_model("pos", "PosSale")
    PosReturn = get_model("pos", "PosReturn")
    for sale in PosSale.objects.select_related("order").order_by("pk").iterator():
        services.record_counter_sale(sale)
    for ret in PosReturn.objects.order_by("pk").iterator():
        services.record_counter_return(ret)
    delivered = Order.objects.filter(status="Delivered", pos_sale__isnull=True).order_by("pk")
    for order in delivered.iterator():
        change = order.status_changes.filter(new_status="Delivered").order_by("-date_created").first()
        services.record_delivery(list(order.lines.select_related("product", "order")),
                                 at=change.date_created if change else order.date_placed)


class Migration(migrations.Migration):
    dependencies = [
        ("settlement", "0001_initial"),
        ("pos", "0001_initial"),
        ("order", "0023_pickup_showroom_and_address_codes"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

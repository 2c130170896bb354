"""Start the stock ledger on an existing shop.

1. Every stock record gets an opening-balance movement of its counts as they are, so its counts
   equal the sums of its movements from the first day (`manage.py stock_audit`).
2. Until now an online order never took its units out of `num_in_stock`: shipping only changed the
   line's status, so `num_allocated` grew for ever. The lines already handed over (the line is
   Shipped, or its order is Shipped or Delivered) consume their allocation now, one HANDED_OVER
   movement each, linked to the line, as `consume_lines` does for new ones.
"""
from django.db import migrations
from django.db.models import F, Q

NOTE = "Consumed when the stock ledger started: shipped before it existed"
BATCH = 2000


def _tracks_stock(product) -> bool:
    product_class = product.product_class or (product.parent.product_class if product.parent_id else None)
    return bool(product_class and product_class.track_stock)


def start_ledger(apps, schema_editor):
    StockRecord = apps.get_model("partner", "StockRecord")
    StockMovement = apps.get_model("partner", "StockMovement")
    Line = apps.get_model("order", "Line")

    rows = []
    for pk, in_stock, allocated in StockRecord.objects.order_by("pk").values_list("pk", "num_in_stock",
                                                                                 "num_allocated").iterator():
        if in_stock or allocated:
            rows.append(StockMovement(stockrecord_id=pk, delta_in_stock=in_stock or 0, delta_allocated=allocated or 0,
                                      in_stock_after=in_stock or 0, allocated_after=allocated or 0, reason="opening"))
        if len(rows) >= BATCH:
            StockMovement.objects.bulk_create(rows)
            rows = []
    StockMovement.objects.bulk_create(rows)

    held = Line.objects.filter(num_allocated__gt=0, allocation_cancelled=False, stockrecord__isnull=False)
    handed_over = held.filter(Q(status="Shipped") | Q(order__status__in=("Shipped", "Delivered")))
    for line in handed_over.select_related("stockrecord__product__product_class",
                                           "stockrecord__product__parent__product_class").order_by("stockrecord_id",
                                                                                                  "pk"):
        record = StockRecord.objects.get(pk=line.stockrecord_id)  # fresh: an earlier line changed it
        if not _tracks_stock(line.stockrecord.product):
            continue
        quantity = min(line.num_allocated, record.num_allocated or 0, record.num_in_stock or 0)
        if quantity <= 0:
            continue
        StockRecord.objects.filter(pk=record.pk).update(num_in_stock=F("num_in_stock") - quantity,
                                                        num_allocated=F("num_allocated") - quantity)
        Line.objects.filter(pk=line.pk).update(num_allocated=F("num_allocated") - quantity)
        StockMovement.objects.create(stockrecord_id=record.pk, delta_in_stock=-quantity, delta_allocated=-quantity,
                                     in_stock_after=record.num_in_stock - quantity,
                                     allocated_after=record.num_allocated - quantity, reason="handed_over",
                                     note=NOTE, order_line_id=line.pk)


class Migration(migrations.Migration):

    dependencies = [
        ("order", "0023_addrship_pickup"),
        ("partner", "0010_stock_movement"),
    ]

    # Not reversible in data: unapplying 0010 drops the ledger, and the consumed units stay consumed.
    operations = [migrations.RunPython(start_ledger, migrations.RunPython.noop)]

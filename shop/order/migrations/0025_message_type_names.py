"""The office reads message types by name (dashboard → Communications): the two types 0022 made
in English get the names the outbox now gives every type, in the shop's language."""
from django.db import migrations

NAMES = {"PAYMENT_RECEIVED": ("Payment received", "Đã nhận thanh toán"),
         "ORDER_CANCELLED": ("Order cancelled", "Đơn hàng đã hủy")}


def rename(apps, schema_editor):
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
    for code, (english, vietnamese) in NAMES.items():
        CommunicationEventType.objects.filter(code=code, name=english).update(name=vietnamese)


def rename_back(apps, schema_editor):
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
    for code, (english, vietnamese) in NAMES.items():
        CommunicationEventType.objects.filter(code=code, name=vietnamese).update(name=english)


class Migration(migrations.Migration):
    dependencies = [("order", "0024_line_returns"), ("communication", "0001_initial")]

    operations = [migrations.RunPython(rename, rename_back)]

from django.db import migrations

EVENT_TYPES = {"PAYMENT_RECEIVED": "Payment received", "ORDER_CANCELLED": "Order cancelled"}


def add_event_types(apps, schema_editor):
    # Listed in the dashboard's e-mail templates so the office can edit the wording; the file templates
    # (templates/oscar/communication/emails/commtype_<code>_*) are the default. The sender also
    # get_or_creates them, so a database flushed by a test still sends.
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
    for code, name in EVENT_TYPES.items():
        CommunicationEventType.objects.get_or_create(code=code, defaults={"name": name, "category": "Order related"})


def remove_event_types(apps, schema_editor):
    apps.get_model("communication", "CommunicationEventType").objects.filter(code__in=list(EVENT_TYPES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("communication", "0004_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(add_event_types, remove_event_types)]
